package org.parley.data;

import org.parley.config.StartupException;

import javax.sql.DataSource;
import java.sql.SQLException;

/**
 * Which engine Parley runs its shards on (PARLEY_DB_ENGINE). The server can say for itself whether it is a Citus
 * coordinator (the {@code citus} extension is installed in its database), so the default asks it; the setting
 * exists to make that a checked promise ({@code citus}: refuse to start on a server that is not one, rather than
 * quietly creating plain schemas an operator expected Citus to place) or to opt out ({@code postgres}: Parley does
 * nothing Citus-specific even where the extension is installed — shard schemas stay ordinary schemas of the
 * coordinator, as long as the server's {@code citus.enable_schema_based_sharding} is off, its default).
 */
public enum DbEngine {
    /** Citus when the database has the citus extension, plain PostgreSQL otherwise. */
    AUTO,
    /** Plain PostgreSQL, even on a Citus server. */
    POSTGRES,
    /** Citus, required: a database without the extension stops Parley with the reason. */
    CITUS;

    /**
     * Whether the shards on {@code primary} are Citus distributed schemas.
     *
     * @param where the server, for the message: {@code the main primary (db1:5432/parley)}
     * @throws StartupException with PARLEY_DB_ENGINE=citus on a server without the extension
     */
    public boolean citus(DataSource primary, String where) {
        if (this == POSTGRES) {
            return false;
        }
        boolean installed;
        try {
            installed = Citus.installed(primary);
        } catch (SQLException e) {
            throw new StartupException("Cannot tell whether " + where + " is a Citus coordinator: "
                    + e.getMessage(), e);
        }
        if (this == CITUS && !installed) {
            throw new StartupException("PARLEY_DB_ENGINE=citus, but " + where + " has no citus extension: run"
                    + " CREATE EXTENSION citus in that database (the server needs shared_preload_libraries=citus)"
                    + " and add the workers with citus_add_node, or set PARLEY_DB_ENGINE=auto to use plain PostgreSQL"
                    + " there.");
        }
        return installed;
    }

    /** How a cluster's primary is named in messages. */
    static String where(Databases databases, String cluster) {
        return "the " + databases.primaryServer(cluster).label();
    }

    /** {@link #citus(DataSource, String)} for the primary of {@code cluster}. */
    public boolean citus(Databases databases, String cluster) {
        return citus(databases.primaryOf(cluster), where(databases, cluster));
    }
}
