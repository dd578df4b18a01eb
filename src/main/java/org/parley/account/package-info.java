/**
 * Accounts and their passwords (argon2id), and who a request comes from: sessions live entirely in a signed
 * cookie ({@link org.parley.account.Sessions}, signed by the rotating {@link org.parley.account.KeyRing}), so
 * any instance serves any visitor and none keeps session state. Also identicon avatars drawn locally
 * (Avatars, AvatarImages) and the per-account sign-in lockout (SignInThrottle).
 */
package org.parley.account;
