/**
 * Where data lives and how code reaches it: one pool per PostgreSQL server, logical shards as schemas assigned to clusters by the shard map, Instagram-style IDs made inside each shard, migrations per schema, and SQL counted per request. Shard reads go to a streaming replica that is within the lag limit and has replayed the visitor's last write (ReplicaMonitor, ReadRouter, ReadYourWrites; docs/scale-out.md).
 */
package org.parley.data;
