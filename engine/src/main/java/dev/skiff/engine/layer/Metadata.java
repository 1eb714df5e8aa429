package dev.skiff.engine.layer;

import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What a file carries besides its content: owner, permission bits (setuid, setgid and sticky included), times and
 * xattrs (values as raw bytes).
 */
record Metadata(int uid, int gid, int mode, FileTime accessed, FileTime modified, Map<String, byte[]> xattrs) {}
