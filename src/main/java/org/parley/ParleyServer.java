package org.parley;

import com.codahale.metrics.MetricRegistry;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ResourceServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.parley.api.ApiCallers;
import org.parley.api.ApiCors;
import org.parley.api.ApiJson;
import org.parley.live.LivePage;
import org.parley.live.LiveThreads;
import org.parley.api.ApiKeyGuard;
import org.parley.api.ApiKeyPages;
import org.parley.api.ApiKeys;
import org.parley.api.ModerationApi;
import org.parley.api.WriteApi;
import org.parley.build.BuildInfo;
import org.parley.discussion.WebhookEvents;
import org.parley.site.HookedEvents;
import org.parley.webhook.DeliveryCourier;
import org.parley.webhook.EventCourier;
import org.parley.webhook.WebhookPages;
import org.parley.webhook.WebhookRepository;
import org.parley.account.AccountPages;
import org.parley.account.AccountRepository;
import org.parley.account.AvatarImages;
import org.parley.account.Csrf;
import org.parley.account.SessionFilter;
import org.parley.account.Sessions;
import org.parley.account.SignInThrottle;
import org.parley.account.Viewers;
import org.parley.cache.Cache;
import org.parley.cache.CacheCounterStore;
import org.parley.config.StartupException;
import org.parley.data.Databases;
import org.parley.data.HistoricalPartitions;
import org.parley.data.PartitionMaintenance;
import org.parley.data.PartitionStatistics;
import org.parley.data.ReplicaMonitor;
import org.parley.data.ShardPlacements;
import org.parley.discussion.CommentPages;
import org.parley.discussion.CommentRepository;
import org.parley.discussion.CommentService;
import org.parley.discussion.CommentSpool;
import org.parley.discussion.SpoolPages;
import org.parley.discussion.SpoolReplay;
import org.parley.discussion.Spooler;
import org.parley.discussion.EmbedFraming;
import org.parley.discussion.EmbedScript;
import org.parley.discussion.ThreadCounts;
import org.parley.discussion.ReconcileSchedule;
import org.parley.discussion.ThreadPages;
import org.parley.discussion.ThreadRepository;
import org.parley.discussion.ThreadUrls;
import org.parley.discussion.ThreadVersions;
import org.parley.disqus.ImportPages;
import org.parley.api.OpenApiDocument;
import org.parley.api.ReadApi;
import org.parley.feed.FeedPages;
import org.parley.feed.RecentComments;
import org.parley.moderation.AuditLog;
import org.parley.moderation.AuditPage;
import org.parley.moderation.SpoolPage;
import org.parley.moderation.AuthorHistory;
import org.parley.moderation.AuthorPages;
import org.parley.moderation.BanPages;
import org.parley.moderation.Bans;
import org.parley.moderation.Console;
import org.parley.moderation.ConsoleHome;
import org.parley.moderation.ContentModeration;
import org.parley.moderation.ContentPages;
import org.parley.moderation.Invitations;
import org.parley.moderation.ModerationPages;
import org.parley.moderation.ModerationService;
import org.parley.moderation.Moderators;
import org.parley.moderation.PostingChecks;
import org.parley.moderation.PostingFacts;
import org.parley.moderation.QueueCounts;
import org.parley.moderation.QueueDetails;
import org.parley.moderation.ReviewQueue;
import org.parley.moderation.SiteOverview;
import org.parley.moderation.RulePages;
import org.parley.moderation.SitePages;
import org.parley.moderation.SiteRules;
import org.parley.moderation.SiteStats;
import org.parley.moderation.SpamSignals;
import org.parley.moderation.StatsPage;
import org.parley.ops.Drain;
import org.parley.ops.Health;
import org.parley.ops.HealthProbes;
import org.parley.ops.Instrumentation;
import org.parley.ops.JvmMetrics;
import org.parley.ops.RequestLimit;
import org.parley.site.DemoPage;
import org.parley.site.HomePage;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.sso.SsoPages;
import org.parley.sso.SsoPayloads;
import org.parley.sso.SsoSettingsRepository;
import org.parley.web.Assets;
import org.parley.web.BodyLimitFilter;
import org.parley.web.ClientAddressFilter;
import org.parley.web.ConnectionErrors;
import org.parley.web.ContainerErrorServlet;
import org.parley.web.CounterStore;
import org.parley.web.ErrorFilter;
import org.parley.web.ErrorPages;
import org.parley.web.FilePathFilter;
import org.parley.web.KeyRing;
import org.parley.web.LocalCounters;
import org.parley.web.MethodFilter;
import org.parley.web.ParameterFilter;
import org.parley.web.RateLimits;
import org.parley.web.ReadRoutingFilter;
import org.parley.web.RequestLogFilter;
import org.parley.web.RouteFilter;
import org.parley.web.RouteTable;
import org.parley.web.Router;
import org.parley.web.SecurityHeaders;
import org.parley.web.Templates;
import org.parley.account.AccountMail;
import org.parley.account.AccountTokens;
import org.parley.account.RecoveryPages;
import org.parley.mail.HeldMailCourier;
import org.parley.mail.MailTemplates;
import org.parley.mail.SmtpCourier;
import org.parley.ops.OutgoingMailPages;
import org.parley.moderation.ModeratorAlerts;
import org.parley.discussion.AuthorExport;
import org.parley.discussion.AuthorRewrite;
import org.parley.profile.ProfilePages;
import org.parley.notify.Digests;
import org.parley.notify.NotificationCourier;
import org.parley.notify.NotificationPages;
import org.parley.notify.SubscriberTokens;
import org.parley.notify.Subscribers;
import org.parley.edge.EdgeHeaders;
import org.parley.edge.EdgePurge;
import org.parley.edge.EdgePurges;
import org.parley.edge.PurgeCourier;
import org.parley.snapshot.ColdSnapshots;
import org.parley.snapshot.SnapshotCourier;
import org.parley.snapshot.SnapshotNames;
import org.parley.snapshot.SnapshotStore;
import org.parley.outbox.Courier;
import org.parley.outbox.OutboxLedger;
import org.parley.outbox.OutboxWorker;
import org.parley.web.WritePositionCookie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * One Parley instance: its databases (embedded or configured), migrations, first-run defaults and the Jetty
 * server with every feature's pages behind the route table (ParleyRoutes). Built in code, wired by constructor.
 */
public final class ParleyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);
    /** Requests served at once; beyond this, they wait in RequestLimit (health probes never do). */
    private static final int MAX_CONCURRENT_REQUESTS = 2000;
    /**
     * Jetty's own bound on virtual threads, far above MAX_CONCURRENT_REQUESTS: requests waiting in RequestLimit
     * hold one each, and a probe must still find one free.
     */
    private static final int MAX_VIRTUAL_THREADS = 100_000;
    private static final long STOP_TIMEOUT_MS = 5_000;
    private static final String CONTAINER_ERROR_PATH = "/_error";

    private final Config config;
    private final Databases databases;
    private final Cache cache;
    private final Server jetty;
    private final RouteTable routes;
    private final Infrastructure infrastructure;
    private final Optional<FirstRun.CreatedAdmin> createdAdmin;
    private final Drain drain;
    private final LiveThreads live;
    private final Optional<ColdSnapshots> coldSnapshots;

    private ParleyServer(Config config, Databases databases, Cache cache, Web web,
                         Infrastructure infrastructure, Optional<FirstRun.CreatedAdmin> createdAdmin, Drain drain,
                         LiveThreads live, Optional<ColdSnapshots> coldSnapshots) {
        this.live = live;
        this.coldSnapshots = coldSnapshots;
        this.config = config;
        this.databases = databases;
        this.cache = cache;
        this.jetty = web.server();
        this.routes = web.routes();
        this.infrastructure = infrastructure;
        this.createdAdmin = createdAdmin;
        this.drain = drain;
    }

    /**
     * Starts everything in order, and on any failure stops what was already started before rethrowing.
     *
     * @throws StartupException with a sentence for the operator
     */
    public static ParleyServer start(Config config) {
        Infrastructure infrastructure = null;
        try {
            checkPortFree(config);
            var metrics = new MetricRegistry();
            JvmMetrics.register(metrics);
            infrastructure = Infrastructure.open(config, metrics);
            Databases databases = infrastructure.databases();
            // reads stay on the primaries until the first poll has found a replica usable
            infrastructure.closeWithIt(new ReplicaMonitor(databases, config.replicaPolicy(), metrics).start());
            infrastructure.migrateOrRequireMigrated();
            infrastructure.closeWithIt(new ShardPlacements(databases).start());
            infrastructure.closeWithIt(new PartitionMaintenance(databases, historical(config)).start());
            infrastructure.closeWithIt(new PartitionStatistics(databases).start());
            var createdAdmin = FirstRun.ensureDefaults(databases.main(), config.publicUrl(), config.adminEmail());
            Cache cache = infrastructure.openCache(metrics);
            // its repairs queue the edge's purges too; any instance's outbox sends them within its poll
            infrastructure.closeWithIt(new ReconcileSchedule(databases,
                    new ThreadVersions(cache, EdgePurges.of(config.edge(), () -> { }))).start());
            // the session keys also sign the links in mails, which any instance must be able to check
            var keys = KeyRing.load(config.sessionKeys(), databases.main());
            var mailing = new Mailing(new MailTemplates(config.publicUrl()), new Subscribers(databases.main()),
                    new SubscriberTokens(keys, Clock.systemUTC()));
            Courier mail = mailCourier(config);
            var notifications = new NotificationCourier(databases, new AccountRepository(databases.main(), cache),
                    mailing.subscribers(), mailing.tokens(), mailing.templates(), mail);
            var webhooks = new Webhooks(new HookedEvents(databases.main(), cache), new WebhookRepository(databases.main()));
            var events = new EventCourier(databases, webhooks.hooks(), new SiteRepository(databases.main(), cache),
                    new ThreadRepository(databases), new ApiJson(config.publicUrl().toString()));
            var deliveries = new DeliveryCourier(webhooks.hooks(), config.webhooksToPrivate(), Clock.systemUTC(),
                    BuildInfo.version().orElse("development"));
            List<Courier> couriers = new java.util.ArrayList<>(List.of(mail, notifications, events, deliveries));
            if (config.edge().configured()) {
                var siteById = new SiteRepository(databases.main(), cache);
                couriers.add(new PurgeCourier(EdgePurge.of(config.edge()), (siteId, key) ->
                        siteById.byId(siteId).map(site -> ThreadUrls.edgePaths(site.name(), key)),
                        new ThreadVersions(cache)::written));
            }
            Optional<SnapshotStore> snapshots = Optional.empty();
            if (config.bucket().configured()) {
                // removals are delivered while a bucket is set even with publishing off: snapshots already out there
                // must still go when their thread is written to
                var store = infrastructure.closeWithIt(new SnapshotStore(config.bucket()));
                snapshots = Optional.of(store);
                var siteById = new SiteRepository(databases.main(), cache);
                couriers.add(new SnapshotCourier(store, new SnapshotNames(config.bucket().prefix()),
                        siteId -> siteById.byId(siteId).map(Site::name), databases));
            }
            var outbox = new OutboxWorker(databases, couriers, config.outboxBackoff(), config.outboxPoll(), metrics).start();
            infrastructure.closeWithIt(outbox);
            infrastructure.closeWithIt(new Digests(databases, mailing.subscribers(), mailing.tokens(),
                    mailing.templates()).start());
            infrastructure.closeWithIt(new ModeratorAlerts(databases, mailing.templates(),
                    config.moderatorMailEvery()).start());
            var instrumentation = Instrumentation.start(config.observability(), databases, metrics, Clock.systemUTC());
            infrastructure.closeWithIt(instrumentation);
            var drain = new Drain();
            var live = new LiveThreads(new ThreadVersions(cache), config.liveMaxConnections(), metrics);
            Web web = jetty(config, databases, cache, keys, mailing, webhooks, live, drain, instrumentation, metrics,
                    outbox::nudge);
            Server jetty = web.server();
            infrastructure.closeWithIt(web.spoolReplay().start());
            infrastructure.closeWithIt(jetty::stop);
            // closed before Jetty stops (newest first): open streams end, so the stop does not wait for them
            infrastructure.closeWithIt(live.start());
            try {
                jetty.start();
            } catch (IOException e) {
                throw bindFailure(config, e);
            }
            Optional<ColdSnapshots> cold = Optional.empty();
            if (config.snapshotAfterDays() > 0 && snapshots.isPresent()) {
                var siteById = new SiteRepository(databases.main(), cache);
                int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
                cold = Optional.of(infrastructure.closeWithIt(new ColdSnapshots(databases, snapshots.get(),
                        new SnapshotNames(config.bucket().prefix()), siteId -> siteById.byId(siteId).map(Site::name),
                        URI.create("http://" + loopbackHost(config) + ":" + port + "/"), withSlash(config.publicUrl()),
                        Assets.load(config.cdnBaseUrl()).url("snapshot-frame.js"),
                        withSlash(config.cdnBaseUrl().orElseThrow()),
                        Duration.ofDays(config.snapshotAfterDays())).start()));
            }
            return new ParleyServer(config, databases, cache, web, infrastructure, createdAdmin, drain, live, cold);
        } catch (Exception e) {
            if (infrastructure != null) {
                infrastructure.close();
            }
            if (e instanceof StartupException startup) {
                throw startup;
            }
            throw new StartupException("Parley could not start: " + StartupException.rootMessage(e), e);
        }
    }

    /** The Jetty server and the route table behind its router. */
    private record Web(Server server, RouteTable routes, SpoolReplay spoolReplay) {
    }

    /** What mail needs, made once: the templates (two parsed engines), the subscribers and their signed links. */
    private record Mailing(MailTemplates templates, Subscribers subscribers, SubscriberTokens tokens) {
    }

    /** What webhooks need in the writes and the console: which events sites want, and the hooks themselves. */
    private record Webhooks(HookedEvents hooked, WebhookRepository hooks) {
    }

    /**
     * How this instance signs what it leaves in shared tables (the comment spool): its host name and port, which
     * stay the same when it restarts, so the spool's per-instance limit counts what it left before a crash too.
     */
    private static String instanceName(Config config) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + config.port();
    }

    private static Web jetty(Config config, Databases databases, Cache cache, KeyRing keys, Mailing mailing,
                             Webhooks webhooks, LiveThreads live, Drain drain, Instrumentation instrumentation,
                             MetricRegistry metrics, Runnable outboxNudge) {
        var pool = new VirtualThreadPool(MAX_VIRTUAL_THREADS);
        pool.setName("parley");
        Server server = new Server(pool);
        server.setStopTimeout(STOP_TIMEOUT_MS);
        var http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // /t/{site}/{key}: a key may hold an encoded "/" (%2F); Parley decodes path segments itself (Requests)
        http.setUriCompliance(UriCompliance.DEFAULT.with("parley-thread-keys",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        var connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);

        var assets = Assets.load(config.cdnBaseUrl());
        var templates = new Templates(assets);
        var errorPages = new ErrorPages(templates);
        var context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        context.setMaxFormContentSize(BodyLimitFilter.FORM_MAX_BYTES);
        // thread keys are host-page identifiers and may contain an encoded "/" (%2F)
        context.getServletHandler().setDecodeAmbiguousURIs(true);

        var sites = new SiteRepository(databases.main(), cache);
        var accounts = new AccountRepository(databases.main(), cache);
        var sessions = new Sessions(keys, config.publicUrl(), Clock.systemUTC());
        var csrf = new Csrf(keys, config.publicUrl());
        // with Memcached or Redis, every instance counts the same windows (failing open when it is down)
        CounterStore counters = !config.sharedCache()
                ? new LocalCounters(Clock.systemUTC())
                : new CacheCounterStore(cache, Clock.systemUTC());
        var limits = new RateLimits(counters, Clock.systemUTC(), config.rateLimits());
        var viewers = new Viewers(accounts);
        var events = new WebhookEvents(webhooks.hooked());
        var threads = new ThreadRepository(databases, events);
        var comments = new CommentRepository();
        var versions = new ThreadVersions(cache, EdgePurges.of(config.edge(), outboxNudge));
        var bans = new Bans(databases.main());
        var siteRules = new SiteRules(databases.main());
        var commentService = new CommentService(databases, comments, Clock.systemUTC(), versions,
                new PostingChecks(new PostingFacts(databases.main()), new SpamSignals(databases.main())), historical(config), events);
        commentService.register(metrics);
        var spool = new CommentSpool(databases.main(), config.spool(), instanceName(config));
        var spooler = new Spooler(spool, cache, metrics);
        var replay = new SpoolReplay(spool, commentService, threads, sites, accounts, metrics, Clock.systemUTC());
        var moderators = new Moderators(databases.main());
        var console = new Console(moderators, sites, viewers, csrf, templates);
        var audit = new AuditLog(databases.main());
        var tokens = new AccountTokens(keys, Clock.systemUTC());
        var apiJson = new ApiJson(config.publicUrl().toString());
        var apiKeys = new ApiKeys(databases.main(), cache, Clock.systemUTC());
        var callers = new ApiCallers(viewers, csrf);
        var moderation = new ModerationService(databases, versions, events);
        var accountMail = new AccountMail(mailing.templates(), tokens);
        var invitations = new Invitations(databases.main(), mailing.templates());
        var queueCounts = new QueueCounts(databases); // the queue's tabs and the statistics' "now": one count

        var routes = ParleyRoutes.table(new ParleyRoutes.Pages(
                new HomePage(sites, viewers, account -> !moderators.sitesOf(account).isEmpty(), csrf, templates),
                new DemoPage(templates, config.publicUrl()),
                config.snapshotAfterDays() > 0
                        ? EmbedScript.withSnapshots(assets, assets.url("snapshot.html"))
                        : new EmbedScript(assets),
                new AvatarImages(),
                new ThreadPages(sites, threads, comments, commentService, viewers, sessions, csrf, limits, templates,
                        cache, versions, spooler, new EdgeHeaders(config.edge())),
                new CommentPages(databases, sites, comments, commentService, viewers, csrf, limits, templates),
                new SpoolPages(spool, sites, templates),
                new AccountPages(accounts, sessions, new SignInThrottle(counters, Clock.systemUTC()), csrf, limits,
                        templates, accountMail, tokens, invitations::acceptFor),
                new RecoveryPages(accounts, accountMail, tokens, sessions, csrf, limits, templates),
                new HealthProbes(new Health(drain, databases)),
                console,
                new ConsoleHome(console, new SiteOverview(databases), accounts, config.publicUrl()),
                new ModerationPages(console, bans, new ReviewQueue(databases), queueCounts,
                        new QueueDetails(databases), moderation),
                new ContentPages(console, new ContentModeration(databases, versions, sites)),
                new BanPages(console, bans, audit),
                new RulePages(console, siteRules, bans, audit),
                new SitePages(console, audit, new SsoSettingsRepository(databases.main()), moderators, accounts,
                        invitations),
                new AuthorPages(console, new AuthorHistory(databases), bans, siteRules, accounts),
                new AuditPage(console, databases.main()),
                new SpoolPage(console, spool, accounts),
                new StatsPage(console, new SiteStats(databases, Clock.systemUTC()), queueCounts),
                instrumentation.errorsPage(console),
                instrumentation.inspectorPages(console),
                new OutgoingMailPages(new OutboxLedger(databases), console, config.mail().smtp().isPresent()),
                new NotificationPages(mailing.subscribers(), mailing.tokens(),
                        databases, templates),
                new ProfilePages(accounts, viewers, sessions, csrf, accountMail, tokens,
                        new AuthorRewrite(databases, versions), new AuthorExport(databases), sites, audit,
                        mailing.subscribers(), templates),
                instrumentation.metricsAccess(),
                instrumentation.metricsEndpoint(),
                new ImportPages(console, databases.main()),
                new SsoPages(sites, new SsoSettingsRepository(databases.main()), accounts, sessions, viewers, csrf,
                        new SsoPayloads(Clock.systemUTC())),
                new ParleyRoutes.Counts(new EmbedScript(assets, "count.js"), new ThreadCounts(databases, sites)),
                new ParleyRoutes.DisqusShim(new EmbedScript(assets, "disqus-embed.js"),
                        new EmbedScript(assets, "disqus-count.js")),
                new FeedPages(sites, threads, databases, config.publicUrl()),
                new ParleyRoutes.Recent(new EmbedScript(assets, "recent.js"),
                        new RecentComments(sites, databases, config.publicUrl())),
                new LivePage(live, databases),
                new WebhookPages(console, webhooks.hooks(), webhooks.hooked(), config.webhooksToPrivate(), audit,
                        Clock.systemUTC()),
                new ParleyRoutes.Api(new ApiKeyGuard(apiKeys, sites), new OpenApiDocument(),
                        new ReadApi(sites, threads, comments, databases, apiJson, callers, cache, versions),
                        new WriteApi(sites, threads, comments, commentService, callers, limits, databases, apiJson,
                                spooler),
                        new ModerationApi(sites, callers, moderators, moderation, new ReviewQueue(databases), apiJson),
                        new ApiKeyPages(console, apiKeys, audit))));

        filter(context, new RouteFilter(routes)); // first: the request log, metrics and inspector name the route
        filter(context, new ClientAddressFilter(config.trustedProxies()));
        filter(context, new RequestLogFilter(config.devMode()));
        filter(context, new RequestLimit(MAX_CONCURRENT_REQUESTS)); // after the log: a wait shows in its time
        instrumentation.filters(viewers).forEach(f -> filter(context, f));
        // before the error filter, so every error it renders (a body over the limit too) carries the headers
        var securityHeaders = new SecurityHeaders(assets.cdnOrigin());
        filter(context, securityHeaders);
        filter(context, new ErrorFilter(errorPages, instrumentation.errorListeners()));
        filter(context, new BodyLimitFilter(BodyLimitFilter.FORM_MAX_BYTES));
        filter(context, new ParameterFilter()); // first: no NUL reaches a lookup, not even the embed's site
        // frame policy of answers shown in a site's embed: the embed itself and pages reached from it (return=),
        // decided before anything can refuse the request, so the refusal shows in the frame too
        filter(context, new EmbedFraming(sites, templates, versions, cache), "/embed/*", "/c/*", "/signin", "/signup", "/signout",
                "/forgot", "/reset");
        filter(context, new MethodFilter());
        filter(context, new ApiCors(sites), "/api/*"); // a write's preflight is answered before any route
        filter(context, new SessionFilter(sessions));
        if (!databases.replicas().isEmpty()) {
            filter(context, new ReadRoutingFilter(new WritePositionCookie(keys, sessions.cookies(),
                    config.replicaPolicy().readYourWritesWindow(), Clock.systemUTC())));
        }

        for (String files : new String[] {"/static/*", Assets.LOCAL_PATH + "*"}) {
            context.addFilter(new FilterHolder(new FilePathFilter()), files, EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(staticFiles(), "/static/*");
        context.addServlet(fingerprintedAssets(), Assets.LOCAL_PATH + "*");
        context.addServlet(new ServletHolder(new Router(routes)), "/");

        var containerErrors = new ErrorPageErrorHandler() {
            @Override
            public boolean errorPageForMethod(String method) {
                return true; // Jetty's default leaves PUT/DELETE errors without a body
            }
        };
        containerErrors.addErrorPage(400, 599, CONTAINER_ERROR_PATH);
        context.setErrorHandler(containerErrors);
        context.addServlet(new ServletHolder(new ContainerErrorServlet(errorPages, securityHeaders)), CONTAINER_ERROR_PATH);
        // what Jetty refuses before the context (malformed request, URI or headers too long) gets the headers too
        server.setErrorHandler(new ConnectionErrors(securityHeaders));

        // on stop, the connectors stop accepting and Jetty waits (up to STOP_TIMEOUT_MS) for requests in flight
        var graceful = new GracefulHandler();
        graceful.setHandler(org.parley.web.Compression.around(context));
        server.setHandler(graceful);
        return new Web(server, routes, replay);
    }

    /** Mail goes to the SMTP server when one is configured; otherwise it is kept for the console (/admin/mail). */
    private static Courier mailCourier(Config config) {
        return config.mail().smtp().<Courier>map(server -> new SmtpCourier(server, config.mail().from()))
                .orElseGet(HeldMailCourier::new);
    }

    private static HistoricalPartitions historical(Config config) {
        return new HistoricalPartitions(config.historicalAfterMonths(), config.historicalTablespace(), Clock.systemUTC());
    }

    private static void filter(ServletContextHandler context, jakarta.servlet.Filter filter) {
        filter(context, filter, "/*");
    }

    private static void filter(ServletContextHandler context, jakarta.servlet.Filter filter, String... paths) {
        var holder = new FilterHolder(filter);
        for (String path : paths) {
            context.addFilter(holder, path, EnumSet.of(DispatcherType.REQUEST));
        }
    }

    /**
     * /static/* under their plain names, for links made before fingerprinting (pages in caches, old embeds):
     * short caching, since the content behind a plain name changes with each release.
     */
    private static ServletHolder staticFiles() {
        return resources("static", "static/", "public, max-age=3600");
    }

    /**
     * /assets/NAME.HASH.EXT: a name never changes content, so every cache may keep it for a year without asking
     * again; the build's brotli and gzip twins are sent to browsers that accept them (brotli first), at no CPU
     * cost here.
     */
    private static ServletHolder fingerprintedAssets() {
        ServletHolder holder = resources("assets", Assets.CLASSPATH_FOLDER, "public, max-age=31536000, immutable");
        holder.setInitParameter("precompressed", "br=.br,gzip=.gz");
        return holder;
    }

    private static ServletHolder resources(String name, String classpathFolder, String cacheControl) {
        var holder = new ServletHolder(name, ResourceServlet.class);
        var base = ParleyServer.class.getClassLoader().getResource(classpathFolder);
        if (base == null) {
            throw new StartupException("The jar has no " + classpathFolder + " folder; rebuild it with scripts/run or mvn package.");
        }
        holder.setInitParameter("baseResource", base.toExternalForm());
        holder.setInitParameter("pathInfoOnly", "true");
        holder.setInitParameter("dirAllowed", "false");
        holder.setInitParameter("etags", "true");
        holder.setInitParameter("cacheControl", cacheControl);
        return holder;
    }

    /**
     * A port already taken is reported before any database work (starting the embedded PostgreSQL and migrating
     * take seconds): bind it once and let go. Jetty binds it for real at the end, with the same SO_REUSEADDR; a
     * program that takes it in between is still reported then.
     */
    private static void checkPortFree(Config config) {
        if (config.port() == 0) {
            return;
        }
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(config.host(), config.port()));
        } catch (IOException e) {
            throw bindFailure(config, e);
        }
    }

    private static StartupException bindFailure(Config config, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return new StartupException("Port " + config.port() + " on " + config.host() + " is already in use"
                        + " (or not allowed); stop the program using it or set PARLEY_PORT to a free port.", e);
            }
        }
        return new StartupException("The web server did not start: " + StartupException.rootMessage(e), e);
    }

    /** The port actually bound (differs from the config when it asked for 0). */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** Where a browser on this machine reaches this instance. */
    public URI localUrl() {
        return URI.create("http://localhost:" + port() + "/");
    }

    /** Publishing cold threads as static snapshots, when PARLEY_SNAPSHOT_AFTER_DAYS is set. */
    public Optional<ColdSnapshots> coldSnapshots() {
        return coldSnapshots;
    }

    /** Where this instance reaches itself: its bound address, or loopback when it listens on every address. */
    private static String loopbackHost(Config config) {
        String host = config.host();
        if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static String withSlash(URI url) {
        String text = url.toString();
        return text.endsWith("/") ? text : text + "/";
    }

    /** The live-update streams open on this instance. */
    public LiveThreads live() {
        return live;
    }

    /** Every address this instance answers (ParleyRoutes). */
    public RouteTable routes() {
        return routes;
    }

    public Config config() {
        return config;
    }

    public Databases databases() {
        return databases;
    }

    /** The instance's cache: Memcached when configured, else in-process. */
    public Cache cache() {
        return cache;
    }

    Optional<FirstRun.CreatedAdmin> createdAdmin() {
        return createdAdmin;
    }

    /**
     * The stop a balancer expects (SIGTERM): /readyz fails at once while every other request is still served, for
     * PARLEY_DRAIN_SECONDS, so the balancer stops sending traffic here; then {@link #close}.
     */
    public void drainAndClose() {
        if (!config.drainPeriod().isZero()) {
            log.info("Draining: /readyz answers 503; serving requests for {} s more so the balancer takes this "
                    + "instance out of rotation", config.drainPeriod().toSeconds());
        }
        drain.begin(config.drainPeriod());
        close();
    }

    /** Ends a drain wait early (a second stop signal); in-flight requests are still finished. */
    public void cutDrainShort() {
        drain.cutShort();
    }

    /** Stops the web server (finishing in-flight requests), then the pools, then the embedded database. */
    @Override
    public void close() {
        infrastructure.close();
    }
}
