/**
 * Backups of a whole Parley as files, and their restore (docs/operations.md, "Backups and restore"): main and every
 * shard schema copied under one snapshot per PostgreSQL server, with a checksummed manifest; restored whole per
 * schema onto empty servers with the same shard count and any shard map.
 */
package org.parley.backup;
