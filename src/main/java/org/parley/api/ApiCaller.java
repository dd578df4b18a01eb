package org.parley.api;

import org.parley.account.Account;

/**
 * Who is making an API request to one site: one of its API keys, a signed-in person (their session cookie, with
 * its CSRF token on writes), or a guest (neither).
 */
public record ApiCaller(ApiKey key, Account account) {
    public static final ApiCaller GUEST = new ApiCaller(null, null);

    public boolean guest() {
        return key == null && account == null;
    }

    /** What to count rate limits against: the key, the account, or the guest's address. */
    public String limitSubject(String clientIp) {
        return key != null ? "key:" + key.id() : account != null ? "account:" + account.id() : "ip:" + clientIp;
    }
}
