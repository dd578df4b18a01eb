/**
 * Sites: the pages that embed Parley threads, their allowed origins and commenting settings.
 */
package org.parley.site;
