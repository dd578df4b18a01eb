package org.parley;

import org.parley.account.AccountPages;
import org.parley.account.RecoveryPages;
import org.parley.account.AvatarImages;
import org.parley.api.ApiKeyGuard;
import org.parley.api.ApiKeyPages;
import org.parley.api.ModerationApi;
import org.parley.api.OpenApiDocument;
import org.parley.api.ReadApi;
import org.parley.api.WriteApi;
import org.parley.discussion.CommentPages;
import org.parley.discussion.EmbedScript;
import org.parley.discussion.ThreadCounts;
import org.parley.discussion.SpoolPages;
import org.parley.discussion.ThreadPages;
import org.parley.disqus.ImportPages;
import org.parley.feed.FeedPages;
import org.parley.feed.RecentComments;
import org.parley.live.LivePage;
import org.parley.moderation.AuditPage;
import org.parley.moderation.SpoolPage;
import org.parley.moderation.AuthorPages;
import org.parley.moderation.BanPages;
import org.parley.moderation.ConsoleHome;
import org.parley.moderation.Console;
import org.parley.moderation.ContentPages;
import org.parley.moderation.ModerationPages;
import org.parley.moderation.RulePages;
import org.parley.moderation.SitePages;
import org.parley.moderation.StatsPage;
import org.parley.ops.ErrorsPage;
import org.parley.ops.HealthProbes;
import org.parley.ops.MetricsAccess;
import org.parley.ops.MetricsEndpoint;
import org.parley.ops.OutgoingMailPages;
import org.parley.notify.NotificationPages;
import org.parley.profile.ProfilePages;
import org.parley.ops.QueryInspectorPages;
import org.parley.site.DemoPage;
import org.parley.site.HomePage;
import org.parley.sso.SsoPages;
import org.parley.webhook.WebhookPages;
import org.parley.web.Guard;
import org.parley.web.RouteTable;

/**
 * Every address Parley answers, grouped by who may reach it; docs/routes.md is the same list with a sentence each.
 * The guard of a group runs before any of its handlers, so a console page cannot forget the door. Files under
 * /static and /assets are served by Jetty's resource servlets, beside this table (ParleyServer).
 *
 * <p>Nothing here needs a signed-in visitor as such: commenting, voting and flagging are open to guests where the
 * site allows it, and each of those decides in its service, where the site's settings are known.
 */
final class ParleyRoutes {
    /** The handlers, built by ParleyServer with their services. */
    record Pages(HomePage home, DemoPage demo, EmbedScript embedScript, AvatarImages avatars, ThreadPages threads,
                 CommentPages comments, SpoolPages spool, AccountPages accounts, RecoveryPages recovery, HealthProbes health, Console console,
                 ConsoleHome consoleHome, ModerationPages moderation, ContentPages content, BanPages bans, RulePages rules, SitePages sites,
                 AuthorPages authors, AuditPage audit, SpoolPage spoolConsole, StatsPage stats, ErrorsPage errors,
                 QueryInspectorPages queries, OutgoingMailPages mail, NotificationPages notifications,
                 ProfilePages profile, MetricsAccess metricsAccess, MetricsEndpoint metrics,
                 ImportPages imports, SsoPages sso, Counts counts, DisqusShim disqus, FeedPages feeds,
                 Recent recent, LivePage live, WebhookPages webhooks, Api api) {
    }

    /** The JSON API (docs/api.md): its description, its reads, its writes, moderation, and the console's keys. */
    record Api(ApiKeyGuard door, OpenApiDocument document, ReadApi read, WriteApi write, ModerationApi moderation,
               ApiKeyPages keys) {
    }

    /** The "recent comments" widget: its script and the comments it shows. */
    record Recent(EmbedScript script, RecentComments comments) {
    }

    /** Comment counts for article lists: Parley's count script and the counts it asks for. */
    record Counts(EmbedScript script, ThreadCounts counts) {
    }

    /** Disqus's shapes, for sites moving from it (docs/disqus.md): its embed code and its count script. */
    record DisqusShim(EmbedScript embed, EmbedScript count) {
    }

    private ParleyRoutes() {
    }

    static RouteTable table(Pages p) {
        return RouteTable.builder()
                .group("public", Guard.EVERYONE, r -> r
                        .get("/", p.home()::show)
                        .get("/demo", p.demo()::show)
                        .get("/embed.js", p.embedScript()::serve)
                        // comment counts for article lists: the script, and many threads' counts in one request
                        .get("/count.js", p.counts().script()::serve)
                        .get("/counts/:site", p.counts().counts()::serve)
                        .get("/avatar/:file", p.avatars()::avatar)
                        // a thread: standalone, or inside the host page's iframe (key in ?key=); /me is the
                        // visitor's own part of a shared page (votes, buttons, their held comments)
                        .get("/t/:site/:key", p.threads()::page)
                        .post("/t/:site/:key", p.threads()::post)
                        .get("/t/:site/:key/me", p.threads()::overlay)
                        // live updates: a Server-Sent Events stream of the thread's versions (docs/live.md)
                        .get("/live/:thread", p.live()::stream)
                        // feeds: a thread's comments and a site's recent comments, Atom and RSS
                        .get("/t/:site/:key/atom", p.feeds()::threadAtom)
                        .get("/t/:site/:key/rss", p.feeds()::threadRss)
                        .get("/feeds/:site/atom", p.feeds()::siteAtom)
                        .get("/feeds/:site/rss", p.feeds()::siteRss)
                        // the "recent comments" widget for a site's own pages
                        .get("/recent.js", p.recent().script()::serve)
                        .get("/recent/:site", p.recent().comments()::serve)
                        .get("/embed/:site", p.threads()::embed)
                        .post("/embed/:site", p.threads()::embedPost)
                        .get("/embed/:site/me", p.threads()::embedOverlay)
                        // the host site's signed payload, handed over by the embed frame (single sign-on)
                        .post("/embed/:site/sso", p.sso()::signIn)
                        // Disqus's embed code and count script work with only their script address changed
                        .get("/disqus/:site/embed.js", p.disqus().embed()::serve)
                        .get("/disqus/:site/count.js", p.disqus().count()::serve)
                        // one comment: its permalink, the forms for visitors without script, and the actions
                        .get("/c/:id", p.comments()::permalink)
                        .get("/c/:id/reply", p.comments()::replyForm)
                        .get("/c/:id/edit", p.comments()::editForm)
                        .post("/c/:id/edit", p.comments()::edit)
                        .post("/c/:id/delete", p.comments()::delete)
                        .post("/c/:id/vote", p.comments()::vote)
                        .get("/c/:id/flag", p.comments()::flagForm)
                        .get("/c/:id/saved", p.spool()::saved)
                        .post("/c/:id/flag", p.comments()::flag)
                        .get("/signup", p.accounts()::signUpForm)
                        .post("/signup", p.accounts()::signUp)
                        .get("/signin", p.accounts()::signInForm)
                        .post("/signin", p.accounts()::signIn)
                        .post("/signout", p.accounts()::signOut)
                        // the links mailed to a person: confirm the address, and "forgot your password?"
                        .get("/verify", p.accounts()::verify)
                        .get("/forgot", p.recovery()::forgotForm)
                        .post("/forgot", p.recovery()::forgot)
                        .get("/reset", p.recovery()::resetForm)
                        .post("/reset", p.recovery()::reset)
                        // the links in notification mails: confirm a guest's address, one-click unsubscribe
                        .get("/notifications/confirm", p.notifications()::confirm)
                        .get("/unsubscribe", p.notifications()::unsubscribeForm)
                        .post("/unsubscribe", p.notifications()::unsubscribe)
                        .post("/notifications/digest", p.notifications()::digest)
                        .get("/unfollow", p.notifications()::unfollowForm)
                        .post("/unfollow", p.notifications()::unfollow)
                        // for load balancers and orchestrators: alive, and ready for traffic
                        .get("/healthz", p.health()::live)
                        .get("/readyz", p.health()::ready))
                // a member's own account: settings, data, deletion (docs/accounts.md)
                .group("members", p.profile().members(), r -> r
                        .get("/account", p.profile()::show)
                        .post("/account/name", p.profile()::rename)
                        .post("/account/email", p.profile()::email)
                        .get("/account/email/confirm", p.profile()::confirmEmail)
                        .post("/account/password", p.profile()::password)
                        .post("/account/notifications", p.profile()::notifications)
                        .post("/account/sessions", p.profile()::signOutEverywhere)
                        .get("/account/data", p.profile()::data)
                        .post("/account/delete", p.profile()::delete))
                // the JSON API: public reads, described by /api/v1/openapi.json (docs/api.md)
                .group("api", p.api().door(), r -> r
                        .get("/api/v1/openapi.json", p.api().document()::serve)
                        .get("/api/v1/sites/:site", p.api().read()::site)
                        .get("/api/v1/sites/:site/threads", p.api().read()::threads)
                        .get("/api/v1/sites/:site/threads/:key", p.api().read()::thread)
                        .get("/api/v1/sites/:site/threads/:key/comments", p.api().read()::comments)
                        .get("/api/v1/sites/:site/counts", p.counts().counts()::serve)
                        .get("/api/v1/sites/:site/comments/recent", p.recent().comments()::serve)
                        .get("/api/v1/sites/:site/comments/:id", p.api().read()::comment)
                        .get("/api/v1/sites/:site/queue", p.api().moderation()::queue)
                        // writes: each decides who may (key scopes, session + CSRF token, guests), see WriteApi
                        .post("/api/v1/sites/:site/threads/:key/comments", p.api().write()::post)
                        .post("/api/v1/sites/:site/comments/:id/edit", p.api().write()::edit)
                        .post("/api/v1/sites/:site/comments/:id/delete", p.api().write()::delete)
                        .post("/api/v1/sites/:site/comments/:id/vote", p.api().write()::vote)
                        .post("/api/v1/sites/:site/comments/:id/flag", p.api().write()::flag)
                        .post("/api/v1/sites/:site/comments/:id/moderate", p.api().moderation()::moderate))
                .group("console moderators", p.console().moderators(), r -> r
                        .get("/admin", p.consoleHome()::show)
                        .get("/admin/", p.consoleHome()::show)
                        .get("/admin/queue", p.moderation()::queue)
                        .post("/admin/comments/selection", p.moderation()::actOnSelection)
                        .post("/admin/comments/:id/:action", p.moderation()::act)
                        .get("/admin/edit/:id", p.content()::editForm)
                        .post("/admin/edit/:id", p.content()::edit)
                        .post("/admin/pin/:id/:action", p.content()::pin)
                        .post("/admin/reports/:id/:action", p.content()::reports)
                        .post("/admin/threads/:id/:action", p.content()::setThread)
                        .get("/admin/authors", p.authors()::search)
                        .get("/admin/authors/:site/:kind/:value", p.authors()::history)
                        .get("/admin/bans", p.bans()::list)
                        .post("/admin/bans", p.bans()::add)
                        .get("/admin/rules", p.rules()::list)
                        .post("/admin/rules", p.rules()::addRule)
                        .post("/admin/rules/trusted", p.rules()::addTrusted)
                        .get("/admin/sites", p.sites()::list)
                        .post("/admin/sites", p.sites()::create) // the page itself refuses non-administrators
                        .get("/admin/sites/:site", p.sites()::form)
                        .post("/admin/sites/:site", p.sites()::save)
                        // the site's owners appoint and remove its moderators (SitePages checks the role)
                        .post("/admin/sites/:site/moderators", p.sites()::appoint)
                        .post("/admin/sites/:site/moderators/:account/remove", p.sites()::dismiss)
                        .post("/admin/sites/:site/invitations/withdraw", p.sites()::withdraw)
                        // the site's owners manage its webhooks (WebhookPages checks the role)
                        .get("/admin/sites/:site/webhooks", p.webhooks()::list)
                        .post("/admin/sites/:site/webhooks", p.webhooks()::create)
                        .get("/admin/sites/:site/webhooks/:hook", p.webhooks()::show)
                        .post("/admin/sites/:site/webhooks/:hook/ping", p.webhooks()::ping)
                        .post("/admin/sites/:site/webhooks/:hook/delete", p.webhooks()::delete)
                        .get("/admin/sites/:site/webhooks/:hook/deliveries/:delivery", p.webhooks()::delivery)
                        .post("/admin/sites/:site/webhooks/:hook/deliveries/:delivery/redeliver",
                                p.webhooks()::redeliver)
                        // and its API keys (ApiKeyPages checks the role)
                        .get("/admin/sites/:site/keys", p.api().keys()::list)
                        .post("/admin/sites/:site/keys", p.api().keys()::create)
                        .post("/admin/sites/:site/keys/:key/revoke", p.api().keys()::revoke)
                        .get("/admin/stats", p.stats()::show)
                        .get("/admin/audit", p.audit()::show)
                        .get("/admin/spool", p.spoolConsole()::show)
                        .get("/admin/imports", p.imports()::list)
                        .get("/admin/imports/:id", p.imports()::one))
                .group("console administrators", p.console().administrators(), r -> r
                        .get("/admin/errors", p.errors()::show)
                        .get("/admin/queries", p.queries()::list)
                        .get("/admin/queries/:n", p.queries()::one)
                        .get("/admin/mail", p.mail()::list)
                        .get("/admin/mail/:where/:id", p.mail()::one)
                        .post("/admin/mail/:where/:id/resend", p.mail()::resend))
                .group("operator", p.metricsAccess(), r -> r
                        .get("/metrics", p.metrics()::scrape))
                .build();
    }
}
