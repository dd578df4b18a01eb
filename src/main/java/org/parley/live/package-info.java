/**
 * Live updates (feature): readers of a thread hear over Server-Sent Events that it changed, and fetch its new
 * state through the cached page. Watchers cost the database nothing: one poller per instance reads the watched
 * threads' versions from the shared cache, where every write already puts them (docs/live.md).
 */
package org.parley.live;
