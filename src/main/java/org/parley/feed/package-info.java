/**
 * Feeds of comments: Atom 1.0 (RFC 4287) and RSS 2.0 for one thread's comments and for a site's recent comments,
 * for feed readers and site owners' own tools (docs/feeds.md). Visible comments only, newest first, cacheable.
 */
package org.parley.feed;
