/**
 * Webhooks (feature): a site's hooks and their console pages, the courier that turns a recorded event into one
 * delivery per hook, and the courier that POSTs a delivery, signed, to its hook. Events are recorded by the writes
 * themselves ({@link org.parley.discussion.WebhookEvents}); deliveries ride the outbox shared with mail.
 */
package org.parley.webhook;
