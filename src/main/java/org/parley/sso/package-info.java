/**
 * Single sign-on with a host site's own users (docs/disqus.md, "Single sign-on"): the host page hands the embed a
 * payload signed with the site's SSO secret, in Disqus's {@code remote_auth_s3} shape or as an HS256 JWT;
 * {@link org.parley.sso.SsoPayloads} checks it and {@link org.parley.sso.SsoPages} signs the visitor in as a
 * site-scoped account. Depends on account and site, never the other way round.
 */
package org.parley.sso;
