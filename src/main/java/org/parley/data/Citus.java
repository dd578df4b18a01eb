package org.parley.data;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Parley does differently when its database is a Citus coordinator (the {@code citus} extension is installed
 * in it): each logical shard schema is a <em>distributed schema</em> (Citus places it whole on one worker and
 * routes every query that names it there), and the main schema stays an ordinary schema on the coordinator (its
 * audit-log trigger is not allowed on distributed tables). See docs/scale-out.md, "Citus (in progress)".
 *
 * <p>Citus refuses {@code ALTER TABLE … ADD COLUMN c type CHECK (…)} ("all constraints in Citus must have explicit
 * names"), which shard migrations V4 and V6 do. Those files are applied on deployed databases and Flyway validates
 * their checksums, so they stay as they are; on Citus the statement is rewritten on its way to the server to name
 * the constraint exactly as PostgreSQL would have named it ({@code table_column_check}). Same files, same
 * checksums, same schema on both engines.
 */
public final class Citus {
    /**
     * One ADD COLUMN with an unnamed CHECK: group 1 the table, 2 the column, 3 what stands between the column name
     * and CHECK (its type and other column constraints). Only the spelling with COLUMN, which every migration uses
     * (without it, "ADD CONSTRAINT …" would read as a column named constraint). Flyway sends one statement at a time.
     */
    private static final Pattern ADD_COLUMN_CHECK = Pattern.compile(
            "(?is)\\bALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?([\\w.\"]+)\\s+"
                    + "ADD\\s+COLUMN\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)\\s+([^;,]*?)\\bCHECK\\b");
    private static final Pattern NAMED = Pattern.compile("(?i)\\bCONSTRAINT\\b");
    /** PostgreSQL's identifier limit (NAMEDATALEN - 1): longer generated names would be truncated differently. */
    private static final int MAX_NAME = 63;

    private Citus() {
    }

    /**
     * Why streaming replicas are refused in Citus mode ({@code why}: what made it Citus mode), and what to do.
     * Parley's replicas are followers of ONE server, measured by its WAL position; on Citus a shard's rows live on a
     * worker, so a coordinator replica's replay position (what lag and read-your-writes are measured by) says
     * nothing about them, and its copy of Citus's placement metadata may trail a shard move.
     */
    public static String replicasRefused(String why) {
        return "Streaming replicas (PARLEY_DB_REPLICAS, PARLEY_CLUSTER_<NAME>_REPLICAS) are not used with Citus ("
                + why + "): on Citus the comments live on the workers, so a replica of the coordinator says nothing"
                + " about how current they are. Remove the replicas setting: in Citus mode every read goes through the"
                + " coordinator to the workers' primaries, and more workers spread the reads (docs/scale-out.md,"
                + " \"Replicas and read-your-writes on Citus\").";
    }

    /** Whether {@code database} is a Citus node: the extension is installed in it. */
    public static boolean installed(DataSource database) throws SQLException {
        try (Connection c = database.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'citus'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    /**
     * Creates {@code schema} as an ordinary schema of the coordinator, whatever the server's
     * {@code citus.enable_schema_based_sharding} says (with it on, every CREATE SCHEMA would be distributed).
     */
    public static void createLocalSchema(DataSource coordinator, String schema) throws SQLException {
        try (Connection c = coordinator.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL citus.enable_schema_based_sharding TO off");
            s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
            c.commit();
        }
    }

    /**
     * Makes {@code schema} a distributed schema: created as one if it is missing, distributed in place if it exists
     * as an ordinary schema (a shard copied in from plain PostgreSQL), left alone if it is one already.
     */
    public static void distributeSchema(DataSource coordinator, String schema) throws SQLException {
        try (Connection c = coordinator.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL citus.enable_schema_based_sharding TO on");
            s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
            try (PreparedStatement distributed = c.prepareStatement("SELECT count(*) FROM pg_dist_schema"
                    + " WHERE schemaid = to_regnamespace(?)")) {
                distributed.setString(1, schema);
                try (ResultSet rs = distributed.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        try (PreparedStatement distribute = c.prepareStatement("SELECT citus_schema_distribute(?)")) {
                            distribute.setString(1, schema);
                            distribute.execute();
                        }
                    }
                }
            }
            c.commit();
        }
    }

    /**
     * {@code sql} with the unnamed CHECK of an {@code ADD COLUMN} named as PostgreSQL names it
     * ({@code <table>_<column>_check}); any other statement unchanged.
     */
    public static String nameColumnChecks(String sql) {
        Matcher m = ADD_COLUMN_CHECK.matcher(sql);
        if (!m.find() || NAMED.matcher(m.group(3)).find()) {
            return sql;
        }
        String table = m.group(1).replace("\"", "");
        table = table.substring(table.lastIndexOf('.') + 1);
        String name = (table + "_" + m.group(2) + "_check").toLowerCase(Locale.ROOT);
        if (name.length() > MAX_NAME) {
            return sql; // PostgreSQL would shorten it its own way: let Citus refuse it, in words a person can act on
        }
        return sql.substring(0, m.start(3)) + m.group(3) + "CONSTRAINT " + name + " " + sql.substring(m.end(3));
    }

    /**
     * {@code dataSource} whose statements pass through {@link #nameColumnChecks} first: what shard migrations run
     * through on Citus.
     */
    public static DataSource namingColumnChecks(DataSource dataSource) {
        return proxy(DataSource.class, dataSource, (target, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection c ? proxy(Connection.class, c, Citus::rewriteConnection) : result;
        });
    }

    private static Object rewriteConnection(Object target, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if ((name.equals("prepareStatement") || name.equals("prepareCall") || name.equals("nativeSQL"))
                && args != null && args[0] instanceof String sql) {
            args[0] = nameColumnChecks(sql);
        }
        Object result = invoke(target, method, args);
        if (result instanceof Statement s && !(result instanceof PreparedStatement)
                && !(result instanceof CallableStatement)) {
            return proxy(Statement.class, s, Citus::rewriteStatement);
        }
        return result;
    }

    private static Object rewriteStatement(Object target, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if ((name.startsWith("execute") || name.equals("addBatch")) && args != null && args.length > 0
                && args[0] instanceof String sql) {
            args[0] = nameColumnChecks(sql);
        }
        return invoke(target, method, args);
    }

    private interface Handler {
        Object handle(Object target, Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Handler handler) {
        InvocationHandler h = (p, method, args) -> {
            if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                return invoke(target, method, args);
            }
            return handler.handle(target, method, args);
        };
        return type.cast(Proxy.newProxyInstance(Citus.class.getClassLoader(), new Class<?>[]{type}, h));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
