-- 'edge-purge': a thread's pages changed, so the edge in front of them (Varnish, a CDN: PARLEY_EDGE) must forget
-- them; written in the transaction of the change, only when an edge is configured (docs/cdn.md).
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('mail', 'webhook', 'notification', 'event', 'edge-purge'));
