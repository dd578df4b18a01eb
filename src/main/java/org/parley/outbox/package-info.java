/**
 * Delivery after commit: a row written in the same transaction as the event that causes it (main.outbox for
 * account events, each shard's outbox for events on its threads), delivered by whichever instance claims it first
 * ({@code FOR UPDATE SKIP LOCKED}), retried with backoff on temporary failures and dead-lettered after the last try.
 * Couriers deliver one kind each (mail now, webhooks next); this package knows nothing of what they carry.
 * See docs/outbox.md.
 */
package org.parley.outbox;
