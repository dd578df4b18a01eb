/**
 * Accounts and their passwords (argon2id), identicon avatars drawn locally (Avatars, AvatarServlet), and the
 * per-account sign-in lockout (SignInThrottle).
 */
package org.parley.account;
