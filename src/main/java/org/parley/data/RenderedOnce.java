package org.parley.data;

import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One statement shape whose SQL jOOQ renders once per dialect and settings, then runs as that string with each
 * call's bind values. Why: a CPU profile of the comment POST and of the cache-miss thread page put ~7 % of the
 * miss (more of the post) in jOOQ rendering the same strings again; jOOQ's manual suggests caching the SQL it
 * generates ("Performance considerations"). Running the string on the caller's context (cut at its placeholders
 * once, {@link SplitSql}, so that jOOQ does not read it again on each call) keeps everything else as it was: the
 * same connection and transaction, the same execute listeners (statement counts, read routing, commit positions),
 * and records read through the shape's own fields ({@code coerce}), so {@code r.get(THREAD.ID)} maps exactly as
 * before; or no records at all ({@link #fetchRows}), for a statement of many rows read by position.
 *
 * <p>The shape is built with placeholders of the right type ({@link #slot}) in a static constant; a call passes
 * one value per placeholder, in the order they appear in the SQL (a value used twice is passed twice). The count
 * is checked on every call. Values inlined in the shape ({@code DSL.inline}) are part of the SQL, not binds. A
 * statement that uses a value in several places (a thread's id in each subquery of the page after a post) names
 * its placeholders instead ({@link #slot(String, Field)}), and calls pass a map: the order of the names in the SQL
 * is read once, from jOOQ's rendering with named parameters.
 *
 * <p>The key is the shape, the dialect and the whole {@link Settings} (by value: a shard's context maps the
 * template schema "shard" to its own, and any other render setting may differ too). Comparing settings by value
 * costs about as much as a render, so each settings object is compared once and then known by identity
 * ({@link #canonical}); a transaction gets a copy of its context's settings, so that is once per transaction.
 * Both tables are bounded ({@link #MAX_ENTRIES}, {@link #MAX_SETTINGS}): a bug that makes shapes or settings
 * without end costs renders, never memory.
 */
public final class RenderedOnce<R extends Record> {
    /** Shapes × (dialect, settings) kept at most: about 20 hot shapes on every shard of a large installation. */
    public static final int MAX_ENTRIES = 4_096;
    /** Distinct settings kept at most (one per context in practice: main, and each shard's read and write). */
    static final int MAX_SETTINGS = 1_024;
    /** Settings objects remembered by identity (a small direct-mapped table; a collision costs one comparison). */
    private static final int RECENT_SETTINGS = 256;

    private static final Map<Key, Rendered> RENDERED = new ConcurrentHashMap<>();
    private static final Map<Settings, Settings> CANONICAL = new ConcurrentHashMap<>();
    private static final Known[] RECENT = new Known[RECENT_SETTINGS];
    private static final LongAdder RENDERS = new LongAdder();
    private static final LongAdder UNCUT = new LongAdder();
    private static final Logger LOG = LoggerFactory.getLogger(RenderedOnce.class);

    private final String name;
    private final Supplier<? extends Query> shape;

    private RenderedOnce(String name, Supplier<? extends Query> shape) {
        this.name = name;
        this.shape = shape;
    }

    /**
     * A query with a result (a SELECT, or a statement with RETURNING), built by {@code shape} whenever it must be
     * rendered. Select columns, not {@code selectFrom}: records come back with the shape's fields, not as the
     * table's record class.
     *
     * @param name what errors call the shape ("ThreadRepository.find")
     */
    public static <R extends Record> RenderedOnce<R> query(String name,
                                                          Supplier<? extends ResultQuery<? extends R>> shape) {
        return new RenderedOnce<>(name, shape);
    }

    /** A statement without a result (INSERT, UPDATE, DELETE). */
    public static RenderedOnce<Record> statement(String name, Supplier<? extends Query> shape) {
        return new RenderedOnce<>(name, shape);
    }

    /** A placeholder typed like {@code like}, for a value each call passes. */
    public static <T> Param<T> slot(Field<T> like) {
        return DSL.val(null, like);
    }

    /** A placeholder of a Java type, for a value each call passes. */
    public static <T> Param<T> slot(Class<T> type) {
        return DSL.val(null, type);
    }

    /**
     * A named placeholder typed like {@code like}, for a statement that uses a value more than once (a thread's id
     * in each of its subqueries): calls pass the values by name ({@link #fetch(DSLContext, Map)}) and each is bound
     * wherever its name appears. A shape uses names for all its placeholders or for none.
     */
    public static <T> Param<T> slot(String name, Field<T> like) {
        return DSL.param(name, like);
    }

    /** A named placeholder of a Java type (an OFFSET). */
    public static <T> Param<T> slot(String name, Class<T> type) {
        return DSL.param(name, type);
    }

    /** Runs a shape of named placeholders with a value for each name. */
    public Result<R> fetch(DSLContext dsl, Map<String, ?> values) {
        return resultQuery(dsl, values).fetch();
    }

    public Optional<R> fetchOptional(DSLContext dsl, Map<String, ?> values) {
        return resultQuery(dsl, values).fetchOptional();
    }

    /** Runs a shape of named placeholders and reads each row with {@code reader}, without jOOQ's records. */
    public <T> List<T> fetchRows(DSLContext dsl, Map<String, ?> values, RowReader<T> reader) {
        return RowReader.readAll(resultQuery(dsl, values).fetchResultSet(), reader);
    }

    public Result<R> fetch(DSLContext dsl, Object... values) {
        return resultQuery(dsl, values).fetch();
    }

    public Optional<R> fetchOptional(DSLContext dsl, Object... values) {
        return resultQuery(dsl, values).fetchOptional();
    }

    public R fetchSingle(DSLContext dsl, Object... values) {
        return resultQuery(dsl, values).fetchSingle();
    }

    /** Runs a statement; returns the number of rows it changed. */
    public int execute(DSLContext dsl, Object... values) {
        Rendered r = rendered(dsl);
        return dsl.query("{0}", r.with(r.bind(name, values))).execute();
    }

    /** The SQL this shape runs as on {@code dsl} (rendering it if it was not yet). */
    public String sql(DSLContext dsl) {
        return rendered(dsl).sql();
    }

    private ResultQuery<R> resultQuery(DSLContext dsl, Object[] values) {
        Rendered r = rendered(dsl);
        return resultQuery(dsl, r, r.bind(name, values));
    }

    private ResultQuery<R> resultQuery(DSLContext dsl, Map<String, ?> values) {
        Rendered r = rendered(dsl);
        return resultQuery(dsl, r, r.bind(name, values));
    }

    @SuppressWarnings("unchecked")
    private ResultQuery<R> resultQuery(DSLContext dsl, Rendered r, Param<?>[] binds) {
        if (r.fields() == null) {
            throw new IllegalStateException(name + " is a statement without a result: use execute");
        }
        return (ResultQuery<R>) dsl.resultQuery("{0}", r.with(binds)).coerce(r.fields());
    }

    private Rendered rendered(DSLContext dsl) {
        Key key = new Key(this, dsl.dialect(), canonical(dsl.settings()));
        Rendered found = RENDERED.get(key);
        if (found == null) {
            found = render(dsl);
            bound(RENDERED, MAX_ENTRIES);
            RENDERED.put(key, found);
        }
        return found;
    }

    private Rendered render(DSLContext dsl) {
        RENDERS.increment();
        Query q = shape.get();
        String sql = dsl.render(q);
        // getParams lists inlined values too, in the order they are rendered; only the others are binds
        List<Param<?>> placeholders = q.getParams().values().stream().filter(p -> !p.isInline()).toList();
        int binds = q.getBindValues().size();
        Field<?>[] fields = q instanceof ResultQuery<?> rq ? rq.fields() : null;
        List<String> slots = placeholders.stream().map(Param::getParamName).filter(java.util.Objects::nonNull)
                .distinct().toList();
        if (slots.isEmpty()) {
            if (placeholders.size() != binds) {
                throw new IllegalArgumentException(name + ": " + binds + " bind values but " + placeholders.size()
                        + " placeholders were found; use unnamed placeholders (RenderedOnce.slot), each once, or"
                        + " named ones");
            }
            return new Rendered(sql, cut(dsl, sql, binds),
                    placeholders.stream().map(Param::getDataType).toArray(DataType<?>[]::new), fields, null, 0);
        }
        // the same statement with :name where each ? is, and :N for the N-th bind when it is a value of the
        // shape's own (a state constant): the placeholder each bind is, in order
        Map<String, Param<?>> params = q.getParams();
        List<Object> built = q.getBindValues();
        List<Param<?>> constants = placeholders.stream().filter(p -> p.getParamName() == null).toList();
        Matcher found = Pattern.compile("(?<![:\\w]):(" + slots.stream().map(Pattern::quote)
                .collect(Collectors.joining("|")) + "|\\d+)(?!\\w)").matcher(dsl.renderNamedParams(q));
        List<Param<?>> order = new ArrayList<>();
        while (found.find()) {
            String token = found.group(1);
            Param<?> p;
            if (Character.isDigit(token.charAt(0))) {
                int position = Integer.parseInt(token);
                Object value = position == order.size() + 1 && position <= built.size() ? built.get(position - 1)
                        : new Object();
                p = constants.stream().filter(c -> java.util.Objects.equals(c.getValue(), value)).findFirst()
                        .orElse(null);
            } else {
                p = params.get(token);
            }
            if (p == null) {
                throw new IllegalArgumentException(name + ": " + found.group() + " in its SQL is no placeholder");
            }
            order.add(p);
        }
        if (order.size() != binds) {
            throw new IllegalArgumentException(name + ": " + binds + " bind values but " + order.size()
                    + " placeholders were found in its SQL");
        }
        return new Rendered(sql, cut(dsl, sql, binds),
                order.stream().map(Param::getDataType).toArray(DataType<?>[]::new), fields,
                order.toArray(Param<?>[]::new), slots.size());
    }

    private String[] cut(DSLContext dsl, String sql, int binds) {
        String[] pieces = SplitSql.cut(dsl, sql, binds);
        if (pieces == null) {
            UNCUT.increment();
            LOG.warn("{} runs as a plain SQL template, read again on every call: its placeholders could not be told", name);
        }
        return pieces;
    }

    /**
     * The one settings object, among those equal to {@code settings}, that keys are made with. Known by identity
     * after the first comparison, so settings must not be changed once a context runs statements (jOOQ assumes the
     * same; Databases never does); the kept copy at least keeps the table itself sound if they are.
     */
    static Settings canonical(Settings settings) {
        int slot = System.identityHashCode(settings) & (RECENT_SETTINGS - 1);
        Known known = RECENT[slot];
        if (known != null && known.settings() == settings) {
            return known.canonical();
        }
        Settings canonical = CANONICAL.get(settings);
        if (canonical == null) {
            bound(CANONICAL, MAX_SETTINGS);
            Settings copy = (Settings) settings.clone();
            canonical = CANONICAL.putIfAbsent(copy, copy);
            canonical = canonical == null ? copy : canonical;
        }
        RECENT[slot] = new Known(settings, canonical); // a racing write loses an entry, never mixes one
        return canonical;
    }

    /** Makes room for one more entry; which one goes does not matter, it is rendered again when next used. */
    private static void bound(Map<?, ?> map, int max) {
        Iterator<?> it = map.keySet().iterator();
        while (map.size() >= max && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** How many times any shape was rendered (for tests). */
    static long renders() {
        return RENDERS.sum();
    }

    /** How many renderings could not be cut at their placeholders (SplitSql) and run as plain SQL templates. */
    public static long uncut() {
        return UNCUT.sum();
    }

    /** Forgets every rendering and settings object (for tests that count renders). */
    static void forgetAll() {
        RENDERED.clear();
        CANONICAL.clear();
        java.util.Arrays.fill(RECENT, null);
    }

    /** How many renderings are kept (for tests). */
    static int size() {
        return RENDERED.size();
    }

    @Override
    public String toString() {
        return "RenderedOnce[" + name + "]";
    }

    /** Canonical settings are compared by identity: the key's hash costs nothing on every call. */
    private record Key(RenderedOnce<?> shape, SQLDialect dialect, Settings settings) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.shape == shape && k.dialect == dialect && k.settings == settings;
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(shape) * 31 + dialect.hashCode()) * 31 + System.identityHashCode(settings);
        }
    }

    private record Known(Settings settings, Settings canonical) {
    }

    /**
     * A rendered shape: its SQL, the type of each bind, and for a named shape the placeholder each bind is (its
     * name says which value of a call it takes; an unnamed one in a named shape is a constant, bound as built).
     */
    private record Rendered(String sql, String[] pieces, DataType<?>[] types, Field<?>[] fields, Param<?>[] named,
                            int names) {
        /** The statement with these values: its pieces and the values (SplitSql), or else a plain SQL template. */
        QueryPart with(Param<?>[] values) {
            return pieces != null ? SplitSql.of(pieces, values) : DSL.sql(sql, (Object[]) values);
        }

        Param<?>[] bind(String name, Object[] values) {
            if (named != null) {
                throw new IllegalArgumentException(name + " has named placeholders: pass its values by name");
            }
            if (values.length != types.length) {
                throw new IllegalArgumentException(name + " takes " + types.length + " values, got " + values.length);
            }
            Param<?>[] params = new Param<?>[values.length];
            for (int i = 0; i < values.length; i++) {
                params[i] = DSL.val(values[i], types[i]);
            }
            return params;
        }

        Param<?>[] bind(String name, Map<String, ?> values) {
            if (named == null) {
                throw new IllegalArgumentException(name + " has unnamed placeholders: pass its values in order");
            }
            Param<?>[] params = new Param<?>[named.length];
            for (int i = 0; i < named.length; i++) {
                String slot = named[i].getParamName();
                if (slot == null) {
                    params[i] = named[i];
                } else if (values.containsKey(slot)) {
                    params[i] = DSL.val(values.get(slot), types[i]);
                } else {
                    throw new IllegalArgumentException(name + " needs a value for " + slot);
                }
            }
            if (values.size() != names) {
                throw new IllegalArgumentException(name + " takes " + names + " named values, got " + values.keySet());
            }
            return params;
        }
    }
}
