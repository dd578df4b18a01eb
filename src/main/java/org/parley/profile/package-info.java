/**
 * "Your account" (/account): what a member manages themselves — name, email (re-verified), password, whether
 * replies are mailed by default, sign out everywhere, download everything Parley holds about them, and delete the
 * account (comments kept under "deleted user" or removed), audited. Above account and discussion, because a
 * change of name or a deletion rewrites the person's comments on every shard. See docs/accounts.md.
 */
package org.parley.profile;
