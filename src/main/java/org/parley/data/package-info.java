/**
 * Where data lives and how code reaches it: one pool per PostgreSQL server, logical shards as schemas assigned to clusters by the shard map, Instagram-style IDs made inside each shard, migrations per schema, and SQL counted per request.
 */
package org.parley.data;
