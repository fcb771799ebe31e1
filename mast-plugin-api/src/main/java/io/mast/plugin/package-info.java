/**
 * The Mast plugin API: what an in-process plugin compiles against. It depends on SLF4J only; no Netty or broker
 * type appears in it.
 */
package io.mast.plugin;
