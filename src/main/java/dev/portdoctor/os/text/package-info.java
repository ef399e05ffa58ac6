/**
 * Small, regex-free helpers shared by the parsers of tool output ({@code ss}, {@code netstat},
 * {@code lsof}): splitting lines and fields by hand, guarded number parsing, address and state words,
 * and the bookkeeping of skipped lines. Nothing here does I/O.
 */
package dev.portdoctor.os.text;
