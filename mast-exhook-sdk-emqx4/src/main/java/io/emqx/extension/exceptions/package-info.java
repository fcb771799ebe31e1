/** The exceptions of EMQX 4.2's Java extension SDK. */
package io.emqx.extension.exceptions;
