/**
 * Notifications by mail: replies to the comments whose authors asked for them, with a double opt-in for guests'
 * addresses and a one-click unsubscribe (RFC 8058) in every mail. Comment writes only record what happened in
 * their shard's outbox (discussion.NotificationEvents); {@link org.parley.notify.NotificationCourier} decides at
 * delivery who gets what, so an unsubscribe or a removal before then is honoured. See docs/mail.md.
 */
package org.parley.notify;
