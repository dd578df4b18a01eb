package org.parley;

import com.codahale.metrics.MetricRegistry;
import org.parley.moderation.Moderators;
import org.parley.moderation.SiteForm;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.sso.SsoSettingsRepository;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code parley site NAME [--set KEY=VALUE]…}: a site's settings on the command line, the same ones and the same
 * checks as the console's settings page ({@link SiteForm}): every bad value is named, and nothing is saved
 * unless all are good.
 */
@Command(name = "site", mixinStandardHelpOptions = true,
        description = {"Show a site's settings, or change them with --set (as on the console's settings page; "
                + "nothing is saved unless every value is good).",
                "Keys: display-name, guests-allowed, premoderation, first-comment-pending, closed, gravatar (true/false), "
                        + "edit-window-minutes, max-comment-length, max-links (blank: no limit), origins "
                        + "(comma-separated, like https://blog.example.com), language (the default for readers whose "
                        + "browsers ask for none Parley has: en, fr, de, es, ar; blank: English), sso-secret (32+ characters; blank: single "
                        + "sign-on off), sso-login-url, sso-logout-url, sso-max-age-minutes, count-zero, count-one, count-many (how "
                        + "comment counts read; {num} is the number; blank: the reader's language's)."})
final class SiteCommand implements Callable<Integer> {
    /** The command line's key → the form field it sets. */
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        for (String field : List.of("displayName", "guestsAllowed", "premoderation", "firstCommentPending", "closed",
                "gravatar", "editWindowMinutes", "maxCommentLength", "maxLinks", "origins", "language", "ssoSecret", "ssoLoginUrl",
                "ssoLogoutUrl", "ssoMaxAgeMinutes", "countZero", "countOne", "countMany")) {
            KEYS.put(field.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT), field);
        }
    }

    private static final List<String> BOOLEANS = List.of("guestsAllowed", "premoderation", "firstCommentPending",
            "closed", "gravatar");

    @CommandLine.ParentCommand
    Main parent;

    @Parameters(paramLabel = "NAME", description = "The site, as in its embed (data-site).")
    String name;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting to change; give --set once per setting.")
    Map<String, String> changes = new LinkedHashMap<>();

    @Option(names = "--moderator", arity = "2", paramLabel = "add|remove EMAIL",
            description = "Appoint the account with this email as a moderator of the site, or remove it. An address"
                    + " without an account is invited by mail (remove withdraws the invitation).")
    List<String> moderator = new java.util.ArrayList<>();

    @Option(names = "--owner", arity = "2", paramLabel = "add|remove EMAIL",
            description = "The same for an owner, who also changes the site's settings and moderators.")
    List<String> owner = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        Map<String, String> fields = new LinkedHashMap<>();
        for (var change : changes.entrySet()) {
            String field = KEYS.get(change.getKey().strip().toLowerCase(Locale.ROOT));
            if (field == null) {
                System.err.println("parley: there is no setting '" + change.getKey() + "'; the settings are "
                        + String.join(", ", KEYS.keySet()) + ".");
                return Main.EXIT_USAGE;
            }
            fields.put(field, change.getValue().strip());
        }
        PrintStream out = System.out;
        var config = parent.loadConfig();
        try (var infrastructure = Infrastructure.open(config, new MetricRegistry())) {
            infrastructure.migrateOrRequireMigrated();
            var sites = new SiteRepository(infrastructure.databases().main());
            var sso = new SsoSettingsRepository(infrastructure.databases().main());
            Site site;
            try {
                site = sites.named(name);
            } catch (IllegalArgumentException e) {
                System.err.println("parley: " + e.getMessage());
                return Main.EXIT_USAGE;
            }
            var moderators = new Moderators(infrastructure.databases().main());
            var accounts = new org.parley.account.AccountRepository(infrastructure.databases().main());
            var team = new Team(moderators, accounts, new org.parley.moderation.Invitations(
                    infrastructure.databases().main(), new org.parley.mail.MailTemplates(config.publicUrl())));
            String problem = members(team, site, moderator, Moderators.Role.MODERATOR, out);
            if (problem == null) {
                problem = members(team, site, owner, Moderators.Role.OWNER, out);
            }
            if (problem != null) {
                System.err.println("parley: " + problem);
                return Main.EXIT_USAGE;
            }
            if (!fields.isEmpty()) {
                Map<String, String> form = SiteForm.of(sites.settings(site.id()).orElseThrow(), sso.of(site.id()),
                        sites.countWording(site.id()));
                String bad = apply(fields, form);
                if (bad != null) {
                    System.err.println("parley: " + bad + " Nothing was saved.");
                    return Main.EXIT_USAGE;
                }
                SiteForm.Parsed parsed = SiteForm.parse(f -> absentIfUnchecked(form, f), Locale.ENGLISH);
                if (!parsed.ok()) {
                    parsed.errors().forEach((field, message) -> System.err.println("parley: " + key(field) + ": " + message));
                    System.err.println("parley: nothing was saved.");
                    return Main.EXIT_USAGE;
                }
                var changed = SiteForm.save(sites, sso, site, parsed);
                changed.forEach((what, pair) -> out.println("changed " + what + ": " + pair[0] + " → " + pair[1]));
                if (changed.isEmpty()) {
                    out.println("Nothing changed.");
                }
            }
            showMembers(out, moderators.of(site.id()));
            show(out, site, SiteForm.of(sites.settings(site.id()).orElseThrow(), sso.of(site.id()), sites.countWording(site.id())));
            return 0;
        }
    }

    /** What appointing needs: the site's members, the accounts, and invitations for addresses without one. */
    private record Team(Moderators moderators, org.parley.account.AccountRepository accounts,
                        org.parley.moderation.Invitations invitations) {
    }

    /** Each ACTION EMAIL pair of an option, in order; the first problem to report, or null. */
    private static String members(Team team, Site site, List<String> pairs, Moderators.Role role, PrintStream out) {
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            String problem = member(team, site, pairs.get(i), pairs.get(i + 1), role, out);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** Appoints (or invites) or removes one member; a problem to report, or null. */
    private static String member(Team team, Site site, String action, String email, Moderators.Role role,
                                 PrintStream out) {
        Moderators moderators = team.moderators();
        var account = team.accounts().byEmail(email);
        if (account.isEmpty()) {
            if (action.equalsIgnoreCase("add")) {
                boolean mailed = team.invitations().invite(site, email, role, "The administrator", null);
                out.println(mailed ? "No account has the address " + email + ": invited by mail; they become "
                        + role.column() + " of " + site.name() + " when they sign up with it and confirm it."
                        : email + " was already invited as " + role.column() + " of " + site.name() + ".");
                return null;
            }
            if (action.equalsIgnoreCase("remove") && team.invitations().withdraw(site.id(), email)) {
                out.println("The invitation of " + email + " to " + site.name() + " is withdrawn.");
                return null;
            }
            return "no account has the address " + email + ".";
        }
        switch (action.toLowerCase(Locale.ROOT)) {
            case "add" -> {
                boolean changed = moderators.appoint(site.id(), account.get().id(), role);
                out.println(changed ? email + " is now " + role.column() + " of " + site.name() + "."
                        : email + " was already " + role.column() + " of " + site.name() + ".");
            }
            case "remove" -> {
                try {
                    boolean removed = moderators.remove(site.id(), account.get().id());
                    out.println(removed ? email + " no longer moderates " + site.name() + "."
                            : email + " did not moderate " + site.name() + ".");
                } catch (org.parley.web.HttpError e) {
                    return e.getMessage();
                }
            }
            default -> {
                return "the action is add or remove, not '" + action + "'.";
            }
        }
        return null;
    }

    private static void showMembers(PrintStream out, List<Moderators.Member> members) {
        out.println(members.isEmpty() ? "Moderators: none (administrators moderate every site)." : "Moderators:");
        members.forEach(m -> out.printf("  %-9s %s <%s>%n", m.role().column(), m.name(),
                m.email() == null ? "signed in by the site" : m.email()));
    }

    /** The command line's values into the form, as the console's form would carry them; a problem, or null. */
    private static String apply(Map<String, String> fields, Map<String, String> form) {
        for (var field : fields.entrySet()) {
            String value = field.getValue();
            if (BOOLEANS.contains(field.getKey())) {
                Boolean on = switch (value.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on" -> true;
                    case "false", "no", "off" -> false;
                    default -> null;
                };
                if (on == null) {
                    return key(field.getKey()) + " is true or false, not '" + value + "'.";
                }
                form.put(field.getKey(), on ? "on" : "");
            } else if (field.getKey().equals("origins")) {
                form.put("origins", String.join("\n", value.split("[,\\s]+")));
            } else if (field.getKey().equals("ssoSecret") && value.isEmpty()) {
                form.put(SiteForm.SSO_OFF, "on");
            } else {
                form.put(field.getKey(), value);
            }
        }
        return null;
    }

    /** Browsers leave unchecked boxes out of a form; SiteForm reads them that way. */
    private static String absentIfUnchecked(Map<String, String> form, String field) {
        String value = form.get(field);
        boolean checkbox = BOOLEANS.contains(field) || field.equals(SiteForm.SSO_OFF);
        return checkbox && (value == null || value.isEmpty()) ? null : value;
    }

    private static void show(PrintStream out, Site site, Map<String, String> form) {
        out.println("Site " + site.name() + ":");
        Map<String, String> shown = new TreeMap<>();
        KEYS.forEach((key, field) -> {
            String value = form.getOrDefault(field, "");
            if (BOOLEANS.contains(field)) {
                value = Boolean.toString("on".equals(value));
            } else if (field.equals("ssoSecret")) {
                value = "on".equals(form.get("ssoSecretSet")) ? "(set)" : "(none: single sign-on is off)";
            } else if (field.equals("origins")) {
                value = String.join(", ", value.split("\n"));
            }
            shown.put(key, value);
        });
        KEYS.keySet().forEach(key -> out.printf("  %-22s %s%n", key, shown.get(key)));
    }

    private static String key(String field) {
        return KEYS.entrySet().stream().filter(e -> e.getValue().equals(field)).map(Map.Entry::getKey).findFirst()
                .orElse(field);
    }
}
