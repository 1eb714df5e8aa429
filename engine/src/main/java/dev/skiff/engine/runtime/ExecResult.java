package dev.skiff.engine.runtime;

/**
 * How a command run by {@link Container#exec} ended: its exit code (128 + the signal when a signal ended it; 127
 * when the command is not in the container, 126 when it cannot be executed, as with Docker) and its output, each
 * stream bounded to its last {@value ContainerLogs#CAPACITY} bytes.
 */
public record ExecResult(int exitCode, String stdout, String stderr) {}
