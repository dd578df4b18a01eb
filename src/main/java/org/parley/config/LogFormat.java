package org.parley.config;

/** How log lines are written (PARLEY_LOG_FORMAT): text for a terminal, one JSON object a line for collectors. */
public enum LogFormat { TEXT, JSON }
