package dev.skiff.engine.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What an exec takes from its container unless told otherwise: the container's process, and where its users are. */
record ExecDefaults(ProcessSettings process, Path upper, List<Path> layersTopFirst) {
  ExecDefaults {
    layersTopFirst = List.copyOf(layersTopFirst);
  }

  /** The container's /etc/passwd and /etc/group as it sees them now: its writable layer over the image's. */
  ImageUsers users() throws IOException {
    return ImageUsers.read(filesTopFirst());
  }

  /** What the container sees: its writable layer, then the image's layers. */
  List<Path> filesTopFirst() {
    List<Path> layers = new ArrayList<>();
    layers.add(upper);
    layers.addAll(layersTopFirst);
    return layers;
  }
}
