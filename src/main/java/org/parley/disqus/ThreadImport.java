package org.parley.disqus;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.parley.account.Avatars;
import org.parley.data.Ids;
import org.parley.discussion.CommentRepository;
import org.parley.discussion.CommentView.State;
import org.parley.discussion.Markdown;
import org.parley.discussion.NewComment;
import org.parley.discussion.ThreadWrite;
import org.parley.disqus.ExportItem.ExportPost;
import org.parley.disqus.ExportItem.ExportThread;
import org.parley.web.TrustedProxies;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.DISQUS_POST;
import static org.parley.db.shard.Tables.THREAD;

/**
 * One Disqus thread and its posts, applied in one transaction on the thread's shard (through {@code ThreadWrites},
 * so the counters are right and the version moves on commit): all of it is imported, or none of it.
 *
 * <p>A post already imported (its id is in {@code disqus_post}) is compared and updated when its message, deletion
 * or spam mark changed; a new one becomes a comment with an id made from its original time ({@link Ids#at}).
 * Parents come before their replies whatever the file's order; a reply whose parent is not in the export is kept
 * as a top-level comment and noted. A deleted post keeps its text for moderators (who may restore it) and shows as a tombstone when
 * it has replies, as a deleted comment does; spam stays spam.
 */
final class ThreadImport {
    private static final int MAX_NAME = 100;
    private static final int MAX_EMAIL = 254;
    private static final int MAX_TITLE = 500;
    private static final int MAX_URL = 2000;

    /** What applying one thread did. */
    record Outcome(boolean threadCreated, int added, int updated, int unchanged, int tombstones, int spam,
                   List<ImportNote> notes) {
    }

    /** Rows per multi-row INSERT. */
    private static final int CHUNK = 500;

    private final CommentRepository comments = new CommentRepository();
    private final long siteId;
    private final int shard;

    ThreadImport(long siteId, int shard) {
        this.siteId = siteId;
        this.shard = shard;
    }

    Outcome apply(ThreadWrite write, ExportThread thread, String key, List<ExportPost> posts) {
        DSLContext tx = write.dsl();
        // the commit need not wait for the disk: a crash can lose only threads a rerun imports again (their posts
        // are recognised by Disqus id), and waiting for one flush per thread was most of an import's time
        tx.execute("SET LOCAL synchronous_commit = off");
        Record existing = tx.select(THREAD.ID, THREAD.CLOSED).from(THREAD)
                .where(THREAD.SITE_ID.eq(siteId)).and(THREAD.KEY.eq(key)).forUpdate().fetchOne();
        boolean created = existing == null;
        long threadId = created ? createThread(tx, thread, key, posts) : existing.get(THREAD.ID);

        Map<Long, Long> mapped = new HashMap<>();
        tx.select(DISQUS_POST.DISQUS_ID, DISQUS_POST.COMMENT_ID).from(DISQUS_POST)
                .where(DISQUS_POST.SITE_ID.eq(siteId))
                .and(DISQUS_POST.DISQUS_ID.eq(DSL.any(posts.stream().map(ExportPost::disqusId).toArray(Long[]::new))))
                .forEach(r -> mapped.put(r.value1(), r.value2()));
        Map<Long, Stored> current = stored(tx, mapped.values());
        Map<Long, NewComment.Parent> placed = new HashMap<>();
        mapped.forEach((disqusId, commentId) -> {
            Stored stored = current.get(commentId);
            if (stored != null) {
                placed.put(disqusId, stored.place());
            }
        });

        List<ImportNote> notes = new ArrayList<>();
        Instant lastActivity = null;
        List<Prepared> fresh = new ArrayList<>();
        List<org.jooq.Query> updates = new ArrayList<>();
        int unchanged = 0;
        for (ExportPost post : parentsFirst(posts)) {
            State state = post.spam() ? State.SPAM : post.deleted() ? State.DELETED
                    : post.approved() ? State.APPROVED : State.PENDING;
            String html = Markdown.sanitizeImported(post.message());
            // kept whole, as a moderator's removal keeps it: the page shows a deleted comment as a tombstone, and
            // a moderator who restores it gets its text back
            Shown shown = new Shown(state.column(), ImportedText.sourceOf(html), html);
            Long commentId = mapped.get(post.disqusId());
            if (commentId == null) {
                fresh.add(new Prepared(post, state, shown));
            } else if (current.containsKey(commentId) && shown.equals(current.get(commentId).shown())) {
                unchanged++;
            } else {
                updates.add(tx.update(COMMENT).set(COMMENT.STATE, shown.state()).set(COMMENT.BODY_SOURCE, shown.source())
                        .set(COMMENT.BODY_HTML, shown.html()).where(COMMENT.ID.eq(commentId)));
            }
            if (state == State.APPROVED && (lastActivity == null || post.createdAt().isAfter(lastActivity))) {
                lastActivity = post.createdAt();
            }
        }
        if (!updates.isEmpty()) {
            tx.batch(updates).execute();
        }
        Map<Long, Long> ids = freeIds(tx, threadId, fresh);
        List<CommentRepository.Imported> rows = new ArrayList<>(fresh.size());
        List<org.jooq.Row3<Long, Long, Long>> mapping = new ArrayList<>(fresh.size());
        for (Prepared p : fresh) {
            ExportPost post = p.post();
            NewComment.Parent parent = post.parentDisqusId() == null ? null : placed.get(post.parentDisqusId());
            if (post.parentDisqusId() != null && parent == null) {
                notes.add(new ImportNote(post.line(), "post " + post.disqusId(), "its parent " + post.parentDisqusId()
                        + " is not in the export: kept as a top-level comment", true));
            }
            long id = ids.get(post.disqusId());
            String name = authorName(post);
            String email = post.author().email() != null && post.author().email().length() <= MAX_EMAIL
                    ? post.author().email() : null;
            var comment = new NewComment(id, threadId, siteId, parent, null, name, email, Avatars.keyFor(email, name),
                    p.shown().source(), p.shown().html(), p.state(), false, null, ipOrNull(post.ip()));
            rows.add(new CommentRepository.Imported(comment, post.createdAt().atOffset(ZoneOffset.UTC)));
            placed.put(post.disqusId(), comment.asParent());
            mapping.add(DSL.row(siteId, post.disqusId(), id));
        }
        if (!rows.isEmpty()) {
            comments.insertImported(tx, rows, CHUNK);
            for (int from = 0; from < mapping.size(); from += CHUNK) { // a statement takes at most 65 535 values
                tx.insertInto(DISQUS_POST, DISQUS_POST.SITE_ID, DISQUS_POST.DISQUS_ID, DISQUS_POST.COMMENT_ID)
                        .valuesOfRows(mapping.subList(from, Math.min(mapping.size(), from + CHUNK))).execute();
            }
        }
        int added = rows.size();
        int updated = updates.size();
        Counts counts = recount(tx, threadId);
        Map<org.jooq.Field<?>, Object> also = new HashMap<>();
        also.put(THREAD.COMMENT_COUNT, counts.visible());
        also.put(THREAD.CLOSED, thread.closed() || (!created && existing.get(THREAD.CLOSED)));
        if (lastActivity != null) {
            also.put(THREAD.LAST_ACTIVITY_AT, DSL.greatest(DSL.coalesce(THREAD.LAST_ACTIVITY_AT,
                    DSL.val(lastActivity.atOffset(ZoneOffset.UTC))), DSL.val(lastActivity.atOffset(ZoneOffset.UTC))));
        }
        write.bump(threadId, 0, also);
        int spam = (int) posts.stream().filter(ExportPost::spam).count();
        return new Outcome(created, added, updated, unchanged, counts.tombstones(), spam, notes);
    }

    /**
     * A new thread with an id from its original time (or its first post's, if earlier): pages find a thread's
     * comments among ids from the thread's own onwards, so the thread must not be younger than its history.
     */
    private long createThread(DSLContext tx, ExportThread thread, String key, List<ExportPost> posts) {
        Instant first = posts.stream().map(ExportPost::createdAt).min(Instant::compareTo).orElse(null);
        Instant created = thread.createdAt() == null ? first
                : first == null || thread.createdAt().isBefore(first) ? thread.createdAt() : first;
        String title = thread.title() == null ? "" : thread.title();
        String url = thread.link() != null && thread.link().length() <= MAX_URL ? thread.link() : null;
        int sequence = (int) (thread.disqusId() & 1023);
        for (int tries = 0; tries < 1024; tries++) {
            var insert = tx.insertInto(THREAD)
                    .set(THREAD.SITE_ID, siteId)
                    .set(THREAD.KEY, key)
                    .set(THREAD.URL, url)
                    .set(THREAD.TITLE, title.length() > MAX_TITLE ? title.substring(0, MAX_TITLE) : title)
                    .set(THREAD.CLOSED, thread.closed());
            if (created != null) {
                insert = insert.set(THREAD.ID, Ids.at(numberedAt(created), shard, (sequence + tries) & 1023))
                        .set(THREAD.CREATED_AT, created.atOffset(ZoneOffset.UTC));
            }
            var id = insert.onConflictDoNothing().returning(THREAD.ID).fetchOptional();
            if (id.isPresent()) {
                return id.get().get(THREAD.ID);
            }
            var raced = tx.select(THREAD.ID).from(THREAD).where(THREAD.SITE_ID.eq(siteId)).and(THREAD.KEY.eq(key))
                    .fetchOptional(THREAD.ID);
            if (raced.isPresent()) {
                return raced.get(); // a first visitor made it meanwhile
            }
        }
        throw new IllegalStateException("no free thread id at " + created + " on shard " + shard);
    }

    /** What a comment shows: compared with what is stored to tell an updated post from an unchanged one. */
    private record Shown(String state, String source, String html) {
    }

    /** A post not imported before, with what it will show. */
    private record Prepared(ExportPost post, State state, Shown shown) {
    }

    /** A comment imported before: where it sits (a later export's replies may answer it) and what it shows. */
    private record Stored(NewComment.Parent place, Shown shown) {
    }

    /** The comments imported before, by id, in one read. */
    private static Map<Long, Stored> stored(DSLContext tx, java.util.Collection<Long> ids) {
        Map<Long, Stored> stored = new HashMap<>();
        if (!ids.isEmpty()) {
            tx.select(COMMENT.ID, COMMENT.ROOT_ID, COMMENT.PATH, COMMENT.DEPTH, COMMENT.STATE, COMMENT.BODY_SOURCE,
                            COMMENT.BODY_HTML).from(COMMENT)
                    .where(COMMENT.ID.eq(DSL.any(ids.toArray(Long[]::new))))
                    .forEach(r -> stored.put(r.value1(), new Stored(new NewComment.Parent(r.value1(), r.value2(), r.value3(), r.value4()),
                            new Shown(r.value5(), r.value6(), r.value7()))));
        }
        return stored;
    }

    /** Each post after its parent (when the parent is in the export), otherwise in the file's time order. */
    static List<ExportPost> parentsFirst(List<ExportPost> posts) {
        Map<Long, ExportPost> byId = new LinkedHashMap<>();
        for (ExportPost post : posts) {
            byId.putIfAbsent(post.disqusId(), post);
        }
        List<ExportPost> ordered = new ArrayList<>(byId.size());
        Set<Long> done = new HashSet<>();
        for (ExportPost post : byId.values()) {
            List<ExportPost> chain = new ArrayList<>();
            Set<Long> onChain = new HashSet<>();
            for (ExportPost p = post; p != null && !done.contains(p.disqusId()) && onChain.add(p.disqusId());
                 p = p.parentDisqusId() == null ? null : byId.get(p.parentDisqusId())) {
                chain.add(p);
            }
            for (int i = chain.size() - 1; i >= 0; i--) {
                ordered.add(chain.get(i));
                done.add(chain.get(i).disqusId());
            }
        }
        return ordered;
    }

    /**
     * An id for each new post, made from its time, free in the table and among each other. Pages read a thread's
     * comments from the thread's id onwards, so a post older than the thread (one Parley made before the import)
     * gets the next id after the thread's, in order, 1 024 to a millisecond: the comments Parley's visitors wrote
     * after the thread was made still come after that history.
     */
    /**
     * The time a post's or thread's ID is numbered by: its date, or now for one dated in the future (a wrong clock
     * where it was exported). No ID may lie above {@link Ids#ceiling}, or the thread's pages would not show it; the
     * row's created_at keeps the date given.
     */
    private static Instant numberedAt(Instant created) {
        Instant now = Instant.now();
        return created.isAfter(now) ? now : created;
    }

    private Map<Long, Long> freeIds(DSLContext tx, long threadId, List<Prepared> fresh) {
        Map<Long, Long> ids = new HashMap<>();
        Set<Long> used = new HashSet<>();
        Map<Long, Integer> tried = new HashMap<>();
        Map<Long, Integer> starts = new HashMap<>();
        long packed = threadId;
        for (Prepared p : fresh) {
            Instant at = numberedAt(p.post().createdAt());
            long id;
            if (Ids.at(at, shard, 0) <= threadId) {
                do {
                    packed = Ids.sequenceOf(packed) < 1023 ? packed + 1
                            : packed - Ids.sequenceOf(packed) + Ids.ONE_MILLISECOND;
                } while (!used.add(packed));
                id = packed;
            } else {
                // posts of one time take consecutive sequences in the order they come (their Disqus ids' order,
                // which is their order of writing), from a start spread by the first one's id so threads applied
                // at once rarely meet: the page keeps their order up to 512 posts in one second
                long disqusId = p.post().disqusId();
                id = next(at, starts.computeIfAbsent(Ids.at(at, shard, 0), base -> (int) (disqusId & 511)), used, tried);
            }
            ids.put(p.post().disqusId(), id);
        }
        for (Set<Long> taken = comments.taken(tx, ids.values()); !taken.isEmpty();
             taken = comments.taken(tx, ids.values())) {
            for (var entry : ids.entrySet()) {
                if (taken.contains(entry.getValue())) {
                    entry.setValue(next(Ids.createdAt(entry.getValue()), Ids.sequenceOf(entry.getValue()) + 1, used, tried));
                }
            }
        }
        return ids;
    }

    /**
     * The first id at {@code at} from {@code sequence} on that is not {@code used}, then marked used. Where a
     * millisecond was tried before, the search resumes where it stopped: a thread of many posts from one second
     * would otherwise scan every id given so far for each post.
     */
    private long next(Instant at, int sequence, Set<Long> used, Map<Long, Integer> tried) {
        long base = Ids.at(at, shard, 0);
        for (int i = tried.getOrDefault(base, 0); ; i++) {
            // past a millisecond's 1024 sequences, the next millisecond of the id (not of the time: times before
            // the epoch are squeezed, and a real millisecond more may land on the same id)
            long id = base + ((sequence + i) & 1023) + (long) (i / 1024) * Ids.ONE_MILLISECOND;
            if (used.add(id)) {
                tried.put(base, i + 1);
                return id;
            }
        }
    }

    /**
     * The address in its one spelling when it is an IP literal, else nothing (PostgreSQL's inet would refuse it,
     * and with it the whole thread); never looked up, as a client address is not.
     */
    static String ipOrNull(String ip) {
        return TrustedProxies.address(ip).orElse(null);
    }

    private static String authorName(ExportPost post) {
        String name = post.author().name() != null ? post.author().name()
                : post.author().username() != null ? post.author().username() : "Guest";
        name = org.parley.web.DisplayText.clean(name);
        if (name.isEmpty()) {
            name = "Guest";
        }
        return name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
    }

    /** What the thread's comments add up to, once their reply counts are right. */
    private record Counts(int visible, int tombstones) {
    }

    /**
     * Each comment's replies counted again (direct replies that are not deleted) and the drifted ones fixed, and
     * the thread's visible comments and tombstones counted: the writers' rules, as CounterReconciliation checks
     * them. Two reads of the thread's rows (from its id onwards, so only its partitions are touched) and one
     * update per comment whose count changed.
     */
    private static Counts recount(DSLContext tx, long threadId) {
        var inThread = COMMENT.THREAD_ID.eq(threadId).and(COMMENT.ID.ge(threadId));
        Map<Long, Integer> replies = new HashMap<>();
        tx.select(COMMENT.PARENT_ID, DSL.count()).from(COMMENT)
                .where(inThread).and(COMMENT.PARENT_ID.isNotNull()).and(COMMENT.STATE.ne(State.DELETED.column()))
                .groupBy(COMMENT.PARENT_ID)
                .forEach(r -> replies.put(r.value1(), r.value2()));
        List<org.jooq.Query> fixes = new ArrayList<>();
        int visible = 0;
        int tombstones = 0;
        for (var r : tx.select(COMMENT.ID, COMMENT.REPLY_COUNT, COMMENT.STATE, COMMENT.SHADOW).from(COMMENT)
                .where(inThread).fetch()) {
            int counted = replies.getOrDefault(r.value1(), 0);
            if (r.value2() != counted) {
                fixes.add(tx.update(COMMENT).set(COMMENT.REPLY_COUNT, counted).where(COMMENT.ID.eq(r.value1())));
            }
            boolean shadow = Boolean.TRUE.equals(r.value4());
            visible += State.APPROVED.column().equals(r.value3()) && !shadow ? 1 : 0;
            tombstones += State.DELETED.column().equals(r.value3()) && counted > 0 ? 1 : 0;
        }
        if (!fixes.isEmpty()) {
            tx.batch(fixes).execute();
        }
        return new Counts(visible, tombstones);
    }
}
