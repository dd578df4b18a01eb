package org.parley.disqus;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jooq.DSLContext;
import org.parley.moderation.Console;
import org.parley.site.Site;
import org.parley.web.HttpError;
import org.parley.web.PathParams;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.parley.db.main.Tables.DISQUS_IMPORT;
import static org.parley.db.main.Tables.DISQUS_IMPORT_NOTE;

/**
 * The Disqus imports of the viewer's sites in the console: when each ran, who started it, from which file, what it
 * did, and every item it skipped or kept with a change, with the line of the file to look at.
 *
 * <pre>
 * GET /admin/imports        the runs, newest first
 * GET /admin/imports/:id    one run and its notes
 * </pre>
 */
public final class ImportPages {
    static final int RUNS_SHOWN = 100;
    static final int NOTES_SHOWN = 1000;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** One run as the pages show it. */
    public record Run(long id, long siteId, String file, String startedBy, OffsetDateTime startedAt,
                      OffsetDateTime finishedAt, int threads, int added, int updated, int unchanged, int tombstones,
                      int spam, int closedThreads, int skipped) {
        public String startedUtc() {
            return startedAt.withOffsetSameInstant(ZoneOffset.UTC).format(WHEN);
        }

        /** A run without an end was stopped (or is running): its counts are not recorded. */
        public boolean finished() {
            return finishedAt != null;
        }
    }

    private final Console console;
    private final DSLContext main;

    public ImportPages(Console console, DSLContext main) {
        this.console = console;
        this.main = main;
    }

    /** GET /admin/imports */
    public void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        List<Run> runs = main.selectFrom(DISQUS_IMPORT)
                .where(DISQUS_IMPORT.SITE_ID.in(visit.mine()))
                .orderBy(DISQUS_IMPORT.ID.desc())
                .limit(RUNS_SHOWN)
                .fetch(ImportPages::run);
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", visit.viewer());
        model.put("runs", runs);
        model.put("sites", console.named(visit.mine()));
        model.put("shown", RUNS_SHOWN);
        console.render(req, resp, "admin/imports", model);
    }

    /** GET /admin/imports/:id */
    public void one(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Console.Visit visit = Console.visit(req);
        Set<Long> mine = visit.mine();
        long id = PathParams.of(req).number("id", () -> HttpError.worded(404, "console.error.noImport"));
        Run run = main.selectFrom(DISQUS_IMPORT).where(DISQUS_IMPORT.ID.eq(id)).fetchOptional(ImportPages::run)
                .filter(r -> mine.contains(r.siteId()))
                .orElseThrow(() -> HttpError.worded(404, "console.error.noImport"));
        Map<Long, Site> sites = console.named(mine);
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", visit.viewer());
        model.put("run", run);
        model.put("site", sites.get(run.siteId()));
        model.put("notes", main.selectFrom(DISQUS_IMPORT_NOTE).where(DISQUS_IMPORT_NOTE.IMPORT_ID.eq(id))
                .orderBy(DISQUS_IMPORT_NOTE.LINE).limit(NOTES_SHOWN)
                .fetch(r -> new ImportNote(r.getLine(), r.getElement(), r.getReason(), r.getKept())));
        model.put("notesShown", NOTES_SHOWN);
        console.render(req, resp, "admin/import", model);
    }

    private static Run run(org.parley.db.main.tables.records.DisqusImportRecord r) {
        return new Run(r.getId(), r.getSiteId(), r.getFileName(), r.getStartedBy(), r.getStartedAt(),
                r.getFinishedAt(), r.getThreads(), r.getCommentsAdded(), r.getCommentsUpdated(), r.getUnchanged(),
                r.getTombstones(), r.getSpam(), r.getClosedThreads(), r.getSkipped());
    }
}
