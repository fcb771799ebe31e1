/** The argument and result types of EMQX 4.2's Java extension SDK's hooks, with the same names and fields. */
package io.emqx.extension.handler.codec;
