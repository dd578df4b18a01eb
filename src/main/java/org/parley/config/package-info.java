/**
 * Settings: every PARLEY_* variable with its default ({@link org.parley.config.Setting}), and the errors a wrong
 * setting or a failed start raise. This is what every layer may use; the settings themselves are read once, at the
 * top, into the immutable {@code org.parley.Config}, validated so that a wrong start names each mistake.
 */
package org.parley.config;
