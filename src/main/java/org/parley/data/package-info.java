/**
 * Where data lives and how code reaches it: one pool per PostgreSQL server, logical shards as schemas assigned to clusters by the shard map, Instagram-style IDs made inside each shard, migrations per schema, and SQL counted per request. Shard reads go to a streaming replica that is within the lag limit and has replayed the visitor's last write (ReplicaMonitor, ReadRouter, ReadYourWrites; docs/scale-out.md); reads of a request that writes stay on the primary. Every primary pool sits behind a circuit breaker (PrimaryCircuit): while the server is unreachable, requests that need it fail at once with DatabaseUnavailable (a 503 for the visitor), and the outage is logged once (docs/operations.md, "When PostgreSQL is down").
 */
package org.parley.data;
