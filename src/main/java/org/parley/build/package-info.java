/** Facts about this build (its version), at the bottom of the layers: anything may read them. */
package org.parley.build;
