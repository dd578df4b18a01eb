package org.parley.feed;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What a feed says, whichever format writes it: its title, a stable id, its own address, the page it follows, when
 * it last changed, and its entries newest first.
 */
record Feed(String title, String id, String selfUrl, String pageUrl, OffsetDateTime updated, List<FeedEntry> entries) {
}
