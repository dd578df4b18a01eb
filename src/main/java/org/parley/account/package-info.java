/**
 * Accounts and their passwords (argon2id).
 */
package org.parley.account;
