-- Spam heuristics (docs/moderation.md): a short trail of who posted what on a site, to notice the same text
-- repeated and posting too fast across every shard with one indexed statement per post. UNLOGGED: losing the
-- trail in a crash only forgets the last minutes of history, and its writes skip the WAL.
CREATE UNLOGGED TABLE post_trace (
    site_id    bigint      NOT NULL,
    account_id bigint,
    ip         inet,
    -- md5 of the comment's text, lower-cased and with whitespace collapsed
    text_hash  text        NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_trace_account ON post_trace (site_id, account_id, at) WHERE account_id IS NOT NULL;
CREATE INDEX post_trace_ip ON post_trace (site_id, ip, at);
-- pruning takes the oldest rows a few at a time
CREATE INDEX post_trace_at ON post_trace (at);

-- The spam heuristics can be switched off per site (e.g. a site whose authors legitimately post in bursts).
ALTER TABLE site ADD COLUMN spam_checks boolean NOT NULL DEFAULT true;
