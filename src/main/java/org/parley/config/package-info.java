/**
 * Settings: every PARLEY_* variable with its default ({@link org.parley.config.Setting}), read once into the immutable {@link org.parley.config.Config}, validated so that a wrong start names each mistake.
 */
package org.parley.config;
