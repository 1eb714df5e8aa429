#!/usr/bin/env python3
"""Builds Skiff's test images from layer specs, pushes them to a registry, and unpacks them again.

  imagetool.py build  --spec images.json --store DIR [--rootfs NAME=TAR ...] --out refs.json
  imagetool.py push   --store DIR --refs refs.json --registry HOST:PORT --list images.txt
  imagetool.py unpack --registry HOST:PORT [--user U --password P] REPO:TAG DEST

Standard library only (zstd layers use the `zstd` CLI). Builds are deterministic: sorted tar entries,
fixed uids and mtimes, gzip mtime 0, so the same spec always yields the same digests. Built layers and
images are cached in the store under a key that hashes their recipe and inputs, so rebuilds are skipped.
See README.md beside this file for the spec format.
"""

import argparse
import base64
import datetime
import gzip
import hashlib
import http.client
import io
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip"
IN_TOTO = "application/vnd.in-toto+json"
MANIFEST_TYPES = (OCI_MANIFEST, DOCKER_MANIFEST)
LIST_TYPES = (OCI_INDEX, DOCKER_LIST)
ALL_MANIFEST_TYPES = MANIFEST_TYPES + LIST_TYPES

LAYER_SUFFIX = {"none": "", "gzip": "+gzip", "zstd": "+zstd"}
# Changing this file changes every cache key, so a fixed tool never serves blobs from a buggy one.
TOOL_HASH = hashlib.sha256(open(__file__, "rb").read()).hexdigest()


class ImageToolError(Exception):
  pass


def log(msg):
  print("imagetool: " + msg, flush=True)


def canonical(obj):
  return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data):
  return hashlib.sha256(data).hexdigest()


def file_sha256(path):
  with open(path, "rb") as f:
    return stream_sha256(f)


def iso(epoch):
  return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------- store

class Store:
  """Content-addressed blobs plus small JSON records naming built layers and images by recipe key."""

  def __init__(self, root):
    self.root = root
    for sub in ("blobs/sha256", "layers", "images", "tmp"):
      os.makedirs(os.path.join(root, sub), exist_ok=True)

  def blob_path(self, digest):
    return os.path.join(self.root, "blobs", "sha256", digest.split(":", 1)[1])

  def has_blob(self, digest):
    return os.path.exists(self.blob_path(digest))

  def temp_path(self):
    fd, path = tempfile.mkstemp(dir=os.path.join(self.root, "tmp"))
    os.close(fd)
    return path

  def put_file(self, path):
    """Moves a finished file into the store; returns (digest, size)."""
    digest = "sha256:" + file_sha256(path)
    size = os.path.getsize(path)
    os.chmod(path, 0o644)
    os.replace(path, self.blob_path(digest))
    return digest, size

  def put_bytes(self, data):
    digest = "sha256:" + sha256_hex(data)
    if not self.has_blob(digest):
      tmp = self.temp_path()
      with open(tmp, "wb") as f:
        f.write(data)
      os.chmod(tmp, 0o644)
      os.replace(tmp, self.blob_path(digest))
    return digest, len(data)

  def read_blob(self, digest):
    with open(self.blob_path(digest), "rb") as f:
      return f.read()

  def record(self, kind, key):
    path = os.path.join(self.root, kind, key + ".json")
    if not os.path.exists(path):
      return None
    with open(path) as f:
      rec = json.load(f)
    # A record is only valid while every blob it names is still in the store.
    return rec if all(self.has_blob(d) for d in rec["blobs"]) else None

  def save_record(self, kind, key, rec):
    tmp = self.temp_path()
    with open(tmp, "w") as f:
      json.dump(rec, f, indent=1, sort_keys=True)
    os.replace(tmp, os.path.join(self.root, kind, key + ".json"))


# ---------------------------------------------------------------------------------------------- layer entries

class Entry:
  """One tar entry of a layer; `data` is bytes or a zero-argument callable returning a readable file."""

  def __init__(self, path, kind, mode, uid=0, gid=0, mtime=0, link="", data=b"", size=0, xattrs=None):
    self.path, self.kind, self.mode = path, kind, mode
    self.uid, self.gid, self.mtime = uid, gid, int(mtime)
    self.link, self.data, self.size = link, data, size
    self.xattrs = xattrs or {}

  def tarinfo(self):
    ti = tarfile.TarInfo(self.path)
    ti.type = {"dir": tarfile.DIRTYPE, "file": tarfile.REGTYPE, "symlink": tarfile.SYMTYPE,
               "hardlink": tarfile.LNKTYPE}[self.kind]
    ti.mode, ti.uid, ti.gid, ti.mtime = self.mode, self.uid, self.gid, self.mtime
    ti.uname = ti.gname = ""
    ti.linkname = self.link
    ti.size = self.size if self.kind == "file" else 0
    ti.pax_headers = {"SCHILY.xattr." + k: v for k, v in sorted(self.xattrs.items())}
    return ti

  def open(self):
    return io.BytesIO(self.data) if isinstance(self.data, bytes) else self.data()


def file_entry(path, content, mode=0o644, **kw):
  data = content.encode() if isinstance(content, str) else content
  return Entry(path, "file", mode, data=data, size=len(data), **kw)


def sort_key(entry):
  # Hard links go last so their targets are always written first; otherwise plain path order.
  return (entry.kind == "hardlink", entry.path.split("/"))


def parse_mode(value, default):
  if value is None:
    return default
  return int(value, 8) if isinstance(value, str) else int(value)


def spec_entries(items, epoch):
  """Entries listed one by one in a layer spec ("entries" part)."""
  out = []
  for item in items:
    kind, path = item["type"], item["path"].strip("/")
    meta = {"uid": item.get("uid", 0), "gid": item.get("gid", 0), "mtime": item.get("mtime", epoch)}
    if kind == "dir":
      out.append(Entry(path, "dir", parse_mode(item.get("mode"), 0o755), **meta))
    elif kind == "file":
      out.append(file_entry(path, item.get("content", ""), parse_mode(item.get("mode"), 0o644), **meta))
    elif kind in ("symlink", "hardlink"):
      out.append(Entry(path, kind, parse_mode(item.get("mode"), 0o777 if kind == "symlink" else 0o644),
                       link=item["target"].lstrip("/") if kind == "hardlink" else item["target"], **meta))
    elif kind == "whiteout":
      parent, _, name = path.rpartition("/")
      out.append(file_entry((parent + "/" if parent else "") + ".wh." + name, b"", **meta))
    elif kind == "opaque":
      out.append(file_entry(path + "/.wh..wh..opq", b"", **meta))
    else:
      raise ImageToolError(f"layer entry {path!r}: unknown type {kind!r} "
                           "(use dir, file, symlink, hardlink, whiteout or opaque)")
  return out


def busybox_entries(binary, epoch):
  """bin/busybox plus one relative symlink per applet the binary reports."""
  listing = subprocess.run([binary, "--list"], check=True, capture_output=True, text=True).stdout.split()
  with open(binary, "rb") as f:
    data = f.read()
  out = [file_entry("bin/busybox", data, 0o755, mtime=epoch)]
  out += [Entry("bin/" + a, "symlink", 0o777, link="busybox", mtime=epoch)
          for a in sorted(set(listing)) if a != "busybox" and "/" not in a]
  return out


def random_entries(spec, epoch):
  data = random.Random(spec["seed"]).randbytes(spec["size"])
  return [file_entry(spec["path"].strip("/"), data, 0o644, mtime=epoch)]


def host_entries(paths, epoch, root="/", force_root_owner=False, normalize_mode=False):
  """Entries for host paths (regular files, dirs, symlinks; hard links detected by inode)."""
  out, seen_inodes = [], {}
  for host_path in sorted(paths):
    rel = os.path.relpath(host_path, root)
    if rel == ".":
      continue
    st = os.lstat(host_path)
    owner = {"uid": 0, "gid": 0} if force_root_owner else {"uid": st.st_uid, "gid": st.st_gid}
    meta = dict(owner, mtime=min(int(st.st_mtime), epoch))
    mode = stat.S_IMODE(st.st_mode)
    if stat.S_ISDIR(st.st_mode):
      out.append(Entry(rel, "dir", 0o755 if normalize_mode else mode, **meta))
    elif stat.S_ISLNK(st.st_mode):
      out.append(Entry(rel, "symlink", 0o777, link=os.readlink(host_path), **meta))
    elif stat.S_ISREG(st.st_mode):
      if normalize_mode:
        mode = 0o755 if mode & 0o111 else 0o644
      inode = (st.st_dev, st.st_ino)
      if st.st_nlink > 1 and inode in seen_inodes:
        out.append(Entry(rel, "hardlink", mode, link=seen_inodes[inode], **meta))
        continue
      seen_inodes[inode] = rel
      out.append(Entry(rel, "file", mode, data=(lambda p=host_path: open(p, "rb")), size=st.st_size,
                       **meta))
  return out


def dir_entries(directory, epoch):
  """A directory tree from the repository, owned by root, modes reduced to 0755/0644."""
  paths = []
  for base, dirs, files in os.walk(directory):
    paths += [os.path.join(base, n) for n in dirs + files]
  return host_entries(paths, epoch, root=directory, force_root_owner=True, normalize_mode=True)


def dpkg_entries(package, epoch):
  """The files a host Debian package installed, as listed by `dpkg -L`."""
  listed = subprocess.run(["dpkg", "-L", package], check=True, capture_output=True, text=True).stdout
  paths = [p for p in listed.splitlines() if p.startswith("/") and p != "/." and os.path.lexists(p)]
  # A path through a symlinked directory (/lib/x -> /usr/lib/x) goes in under its real location, so
  # extracting the layer never replaces a lower layer's /lib symlink with a directory.
  real = {os.path.join(os.path.realpath(os.path.dirname(p)), os.path.basename(p)) for p in paths}
  return host_entries(real, epoch)


# ---------------------------------------------------------------------------------------------- rootfs tars

def tar_name(name):
  """A tar member name as a layer path: no leading "./" or "/", no trailing "/"."""
  if name.startswith("./"):
    name = name[2:]
  return name.strip("/")


def rootfs_members(tar):
  """Layer path -> member of an mmdebstrap tar; device nodes are dropped (runtimes create /dev)."""
  out = {}
  for m in tar.getmembers():
    name = tar_name(m.name)
    if name and m.type not in (tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE):
      out[name] = m
  return out


def stream_sha256(f):
  h = hashlib.sha256()
  for chunk in iter(lambda: f.read(1 << 20), b""):
    h.update(chunk)
  return h.hexdigest()


def xattrs_of(m):
  prefix = "SCHILY.xattr."
  return {k[len(prefix):]: v for k, v in sorted(m.pax_headers.items()) if k.startswith(prefix)}


def member_fingerprint(tar, m):
  content = ""
  if m.isreg():
    with tar.extractfile(m) as f:
      content = stream_sha256(f)
  return (m.type, m.mode, m.uid, m.gid, int(m.mtime), m.linkname, m.size, content, xattrs_of(m))


def member_entry(tar, name, m):
  meta = {"uid": m.uid, "gid": m.gid, "mtime": m.mtime, "xattrs": xattrs_of(m)}
  if m.isdir():
    return Entry(name, "dir", m.mode, **meta)
  if m.issym():
    return Entry(name, "symlink", m.mode, link=m.linkname, **meta)
  if m.islnk():
    return Entry(name, "hardlink", m.mode, link=tar_name(m.linkname), **meta)
  return Entry(name, "file", m.mode, data=lambda: tar.extractfile(m), size=m.size, **meta)


def rootfs_entries(tar_path, epoch, base_path=None):
  """All of a rootfs tar, or (with base_path) only what differs from base, plus whiteouts for removals."""
  tar = tarfile.open(tar_path)  # stays open: entries read their content from it when the layer is written
  members = rootfs_members(tar)
  if base_path is None:
    return [member_entry(tar, n, m) for n, m in members.items()]
  with tarfile.open(base_path) as base_tar:
    base = {n: member_fingerprint(base_tar, m) for n, m in rootfs_members(base_tar).items()}
  changed = {n for n, m in members.items() if base.get(n) != member_fingerprint(tar, m)}
  # Keep hard-link groups whole: a changed link needs its target here, a changed target its links.
  for name, m in members.items():
    target = tar_name(m.linkname) if m.islnk() else None
    if target and (name in changed or target in changed):
      changed.update((name, target))
  entries = [member_entry(tar, n, members[n]) for n in sorted(changed)]
  removed = {n for n in base if n not in members}
  for name in sorted(removed):
    parent, _, leaf = name.rpartition("/")
    if parent not in removed:  # a removed parent's own whiteout already hides its children
      entries.append(file_entry((parent + "/" if parent else "") + ".wh." + leaf, b"", mtime=epoch))
  return entries


# ---------------------------------------------------------------------------------------------- layers

class BuildContext:
  """Where a spec's relative inputs live, and the epoch every generated timestamp uses."""

  def __init__(self, spec_dir, rootfs_tars, epoch):
    self.spec_dir, self.rootfs_tars, self.epoch = spec_dir, rootfs_tars, epoch

  def rootfs_tar(self, name):
    path = self.rootfs_tars.get(name)
    if not path or not os.path.exists(path):
      raise ImageToolError(f"rootfs {name!r}: no tar given (--rootfs {name}=PATH) or {path} does not exist; "
                           "test-env/setup.sh builds them")
    return path

  def rootfs_recipe(self, name):
    # The recipe file setup.sh writes beside each tar identifies its content without reading the tar.
    with open(self.rootfs_tar(name)[:-len(".tar")] + ".recipe") as f:
      return f.read()


def tree_fingerprint(directory):
  h = hashlib.sha256()
  for e in dir_entries(directory, 0):
    h.update(canonical([e.path, e.kind, e.mode, e.link]))
    if e.kind == "file":
      with e.open() as f:
        h.update(stream_sha256(f).encode())
  return h.hexdigest()


def part_inputs(part, ctx):
  """What a layer part's content depends on besides the spec text: hashes, versions, recipes."""
  if "busybox" in part:
    return file_sha256(part["busybox"])
  if "dir" in part:
    return tree_fingerprint(os.path.join(ctx.spec_dir, part["dir"]))
  if "dpkg" in part:
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", part["dpkg"]], check=True,
                          capture_output=True, text=True).stdout
  if "rootfs" in part:
    return [ctx.rootfs_recipe(part["rootfs"]), ctx.rootfs_recipe(part["minus"]) if "minus" in part else None]
  return None


def part_entries(part, ctx):
  if "entries" in part:
    return spec_entries(part["entries"], part.get("mtime", ctx.epoch))
  if "busybox" in part:
    return busybox_entries(part["busybox"], ctx.epoch)
  if "random" in part:
    return random_entries(part["random"], ctx.epoch)
  if "dir" in part:
    return dir_entries(os.path.join(ctx.spec_dir, part["dir"]), ctx.epoch)
  if "dpkg" in part:
    return dpkg_entries(part["dpkg"], ctx.epoch)
  if "rootfs" in part:
    base = ctx.rootfs_tar(part["minus"]) if "minus" in part else None
    return rootfs_entries(ctx.rootfs_tar(part["rootfs"]), ctx.epoch, base)
  raise ImageToolError(f"layer part {part!r}: expected one of entries, busybox, random, dir, dpkg, rootfs")


def write_tar(entries, path):
  by_path = {}
  for e in entries:  # a later part's entry replaces an earlier one at the same path
    by_path[e.path] = e
  with open(path, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
    for e in sorted(by_path.values(), key=sort_key):
      if e.kind == "file":
        with e.open() as f:
          tar.addfile(e.tarinfo(), f)
      else:
        tar.addfile(e.tarinfo())


def compress(src, dst, compression):
  if compression == "gzip":
    with open(src, "rb") as fin, open(dst, "wb") as raw:
      # filename="" and mtime=0 keep the gzip header free of anything that varies between builds.
      with gzip.GzipFile(filename="", mode="wb", compresslevel=6, fileobj=raw, mtime=0) as gz:
        shutil.copyfileobj(fin, gz, 1 << 20)
  elif compression == "zstd":
    with open(dst, "wb") as out:
      subprocess.run(["zstd", "-q", "-3", "-c", src], check=True, stdout=out)
  else:
    raise ImageToolError(f"unknown compression {compression!r} (use gzip, zstd or none)")


def layer_key(spec, compression, ctx):
  """The cache key of a built layer: its spec, what its parts read, the compression, the tool itself."""
  inputs = [part_inputs(p, ctx) for p in spec["parts"]]
  return sha256_hex(canonical([TOOL_HASH, ctx.epoch, compression, spec, inputs]))


def build_layer(name, spec, compression, ctx, store):
  """Builds (or finds in the store) one layer; returns {digest, diff_id, size, compression, created_by}."""
  parts = spec["parts"]
  key = layer_key(spec, compression, ctx)
  rec = store.record("layers", key)
  if rec:
    return rec
  log(f"building layer {name} ({compression})")
  tar_path = store.temp_path()
  write_tar([e for p in parts for e in part_entries(p, ctx)], tar_path)
  diff_id = "sha256:" + file_sha256(tar_path)
  if compression == "none":
    digest, size = store.put_file(tar_path)
  else:
    blob_path = store.temp_path()
    compress(tar_path, blob_path, compression)
    os.unlink(tar_path)
    digest, size = store.put_file(blob_path)
  rec = {"digest": digest, "diff_id": diff_id, "size": size, "compression": compression,
         "created_by": spec.get("created_by", "skiff test-env layer " + name), "blobs": [digest]}
  store.save_record("layers", key, rec)
  return rec


# ---------------------------------------------------------------------------------------------- images

def json_bytes(obj):
  return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def descriptor(media_type, digest, size, **extra):
  return dict({"mediaType": media_type, "digest": digest, "size": size}, **extra)


def platform_of(image):
  return image.get("platform", {"architecture": "amd64", "os": "linux"})


class ImageBuilder:
  """Turns image specs into configs and manifests in the store; remembers every blob it used."""

  def __init__(self, spec, ctx, store):
    self.layer_specs, self.ctx, self.store = spec["layers"], ctx, store
    self.blobs = []

  def _put(self, data):
    digest, size = self.store.put_bytes(data)
    self.blobs.append(digest)
    return digest, size

  def layers(self, image):
    compression = image.get("compression", "gzip")
    out = []
    for name in image["layers"]:
      if name not in self.layer_specs:
        raise ImageToolError(f"image {image.get('name', '?')}: layer {name!r} is not defined under \"layers\"")
      out.append(build_layer(name, self.layer_specs[name], compression, self.ctx, self.store))
    self.blobs += [l["digest"] for l in out]
    return out

  def config(self, image, layers):
    created = iso(self.ctx.epoch)
    plat = platform_of(image)
    cfg = {"created": created, "architecture": plat["architecture"], "os": plat["os"]}
    if "variant" in plat:
      cfg["variant"] = plat["variant"]
    cfg["config"] = image.get("config", {})
    cfg["rootfs"] = {"type": "layers", "diff_ids": [l["diff_id"] for l in layers]}
    cfg["history"] = [{"created": created, "created_by": l["created_by"]} for l in layers]
    return self._put(json_bytes(cfg))

  def manifest(self, image, fmt):
    """One image manifest; fmt is oci, oci-nomt (no mediaType field) or docker. Returns a descriptor."""
    layers = self.layers(image)
    cfg_digest, cfg_size = self.config(image, layers)
    if fmt == "docker":
      bad = [l for l in layers if l["compression"] != "gzip"]
      if bad:
        raise ImageToolError(f"image {image.get('name', '?')}: Docker schema2 needs gzip layers, not "
                             f"{bad[0]['compression']}; drop the docker format for this image")
      media, cfg_media = DOCKER_MANIFEST, DOCKER_CONFIG
      layer_descs = [descriptor(DOCKER_LAYER_GZIP, l["digest"], l["size"]) for l in layers]
    else:
      media, cfg_media = OCI_MANIFEST, OCI_CONFIG
      layer_descs = [descriptor(OCI_LAYER + LAYER_SUFFIX[l["compression"]], l["digest"], l["size"])
                     for l in layers]
    doc = {"schemaVersion": 2}
    if fmt != "oci-nomt":
      doc["mediaType"] = media
    doc["config"] = descriptor(cfg_media, cfg_digest, cfg_size)
    doc["layers"] = layer_descs
    digest, size = self._put(json_bytes(doc))
    return descriptor(media, digest, size)

  def attestation(self, entry, subject):
    statement = json_bytes({"_type": "https://in-toto.io/Statement/v0.1",
                            "predicateType": entry["attestation"]["predicateType"],
                            "subject": [{"name": "skiff-test", "digest": {"sha256": subject.split(":")[1]}}],
                            "predicate": entry["attestation"].get("predicate", {})})
    layer_digest, layer_size = self._put(statement)
    cfg = json_bytes({"architecture": "unknown", "os": "unknown", "config": {},
                      "rootfs": {"type": "layers", "diff_ids": [layer_digest]}})
    cfg_digest, cfg_size = self._put(cfg)
    annotations = {"in-toto.io/predicate-type": entry["attestation"]["predicateType"]}
    doc = {"schemaVersion": 2, "mediaType": OCI_MANIFEST,
           "config": descriptor(OCI_CONFIG, cfg_digest, cfg_size),
           "layers": [descriptor(IN_TOTO, layer_digest, layer_size, annotations=annotations)]}
    digest, size = self._put(json_bytes(doc))
    return descriptor(OCI_MANIFEST, digest, size, platform={"architecture": "unknown", "os": "unknown"},
                      annotations={"vnd.docker.reference.digest": subject,
                                   "vnd.docker.reference.type": "attestation-manifest"})

  def index(self, image, fmt):
    """An OCI index (fmt oci) or a Docker manifest list (fmt docker, image children only)."""
    entries = []
    for child in image["index"]:
      if "layers" in child:
        desc = self.manifest(child, "docker" if fmt == "docker" else "oci")
        entries.append(dict(desc, platform=platform_of(child)))
      elif fmt == "docker":
        continue
      elif "blob" in child:
        digest, size = self._put(json_bytes(child["blob"]))
        entries.append(descriptor(child["mediaType"], digest, size, platform=child["platform"]))
      elif "attestation" in child:
        entries.append(None)  # filled in below, once the manifest it describes is built
      else:
        raise ImageToolError(f"image {image['name']}: index entry {child!r} needs layers, blob or attestation")
    for i, child in enumerate(image["index"]):
      if fmt != "docker" and "attestation" in child:
        entries[i] = self.attestation(child, entries[child["describes"]]["digest"])
    media = DOCKER_LIST if fmt == "docker" else OCI_INDEX
    digest, size = self._put(json_bytes({"schemaVersion": 2, "mediaType": media, "manifests": entries}))
    return descriptor(media, digest, size)


FORMAT_TAG_SUFFIX = {"oci": "", "docker": "-docker", "oci-nomt": "-nomt"}


def build_image(image, spec, ctx, store):
  """Builds every format of one image spec; returns [{name, tag, digest, mediaType}], cached by recipe."""
  layer_keys = [layer_key(spec["layers"][n], c.get("compression", "gzip"), ctx)
                for c in image.get("index", [image]) for n in c.get("layers", []) if n in spec["layers"]]
  key = sha256_hex(canonical([TOOL_HASH, ctx.epoch, image, layer_keys]))
  rec = store.record("images", key)
  if rec:
    return rec["refs"]
  builder = ImageBuilder(spec, ctx, store)
  refs = []
  for fmt in image.get("formats", ["oci"]):
    if fmt not in FORMAT_TAG_SUFFIX:
      raise ImageToolError(f"image {image['name']}: unknown format {fmt!r} (use oci, docker or oci-nomt)")
    desc = builder.index(image, fmt) if "index" in image else builder.manifest(image, fmt)
    refs.append({"name": image["name"], "tag": image["tag"] + FORMAT_TAG_SUFFIX[fmt],
                 "digest": desc["digest"], "mediaType": desc["mediaType"]})
  store.save_record("images", key, {"refs": refs, "blobs": sorted(set(builder.blobs))})
  return refs


def cmd_build(args):
  with open(args.spec) as f:
    spec = json.load(f)
  rootfs_tars = dict(arg.split("=", 1) for arg in args.rootfs)
  ctx = BuildContext(os.path.dirname(os.path.abspath(args.spec)), rootfs_tars, args.epoch)
  store = Store(args.store)
  refs = []
  for image in spec["images"]:
    if args.only and image["name"] + ":" + image["tag"] not in args.only:
      continue
    refs += build_image(image, spec, ctx, store)
  with open(args.out, "w") as f:
    json.dump(refs, f, indent=1)


# ---------------------------------------------------------------------------------------------- registry

class Registry:
  """A minimal Registry HTTP API v2 client (plain HTTP, optional basic auth) over one keep-alive connection."""

  def __init__(self, address, user=None, password=None):
    self.address = address
    self.headers = {}
    if user:
      token = base64.b64encode(f"{user}:{password}".encode()).decode()
      self.headers["Authorization"] = "Basic " + token
    self.conn = http.client.HTTPConnection(address, timeout=120)

  def request(self, method, path, body=None, headers=None, expect=(200,)):
    """Sends one request; returns (status, headers, body bytes). Fails unless the status is expected."""
    all_headers = dict(self.headers, **(headers or {}))
    try:
      self.conn.request(method, path, body=body, headers=all_headers)
      resp = self.conn.getresponse()
      data = resp.read()
    except (OSError, http.client.HTTPException) as e:
      self.conn.close()
      raise ImageToolError(f"{method} http://{self.address}{path} failed: {e}; is the registry running? "
                           "(test-env/setup.sh starts it)") from e
    if resp.status not in expect:
      raise ImageToolError(f"{method} http://{self.address}{path} answered {resp.status}: "
                           f"{data[:300].decode(errors='replace')}")
    return resp.status, resp.headers, data

  def has_blob(self, name, digest):
    status, _, _ = self.request("HEAD", f"/v2/{name}/blobs/{digest}", expect=(200, 404))
    return status == 200

  def upload_blob(self, name, digest, path, mount_from=None):
    """Monolithic upload (POST then PUT ?digest=), or a cross-repository mount when one is possible."""
    query = f"?mount={digest}&from={mount_from}" if mount_from else ""
    status, headers, _ = self.request("POST", f"/v2/{name}/blobs/uploads/{query}", expect=(201, 202))
    if status == 201:
      return
    location = headers["Location"]
    parsed = urllib.parse.urlsplit(location)
    target = parsed.path + "?" + (parsed.query + "&" if parsed.query else "") + "digest=" + digest
    with open(path, "rb") as f:
      self.request("PUT", target, body=f, expect=(201,),
                   headers={"Content-Type": "application/octet-stream",
                            "Content-Length": str(os.path.getsize(path))})

  def manifest_digest(self, name, reference, media_type):
    status, headers, _ = self.request("HEAD", f"/v2/{name}/manifests/{reference}",
                                      headers={"Accept": media_type}, expect=(200, 404))
    return headers.get("Docker-Content-Digest") if status == 200 else None

  def put_manifest(self, name, reference, media_type, data):
    self.request("PUT", f"/v2/{name}/manifests/{reference}", body=data,
                 headers={"Content-Type": media_type}, expect=(201,))

  def get_manifest(self, name, reference):
    _, headers, data = self.request("GET", f"/v2/{name}/manifests/{reference}",
                                    headers={"Accept": ", ".join(ALL_MANIFEST_TYPES)})
    return headers.get("Content-Type"), data

  def blob_bytes(self, name, digest):
    _, _, data = self.request("GET", f"/v2/{name}/blobs/{digest}")
    if "sha256:" + sha256_hex(data) != digest:
      raise ImageToolError(f"blob {digest} of {name} arrived with a different digest")
    return data


class Pusher:
  """Pushes manifests from the store with everything they reference, skipping what the registry has."""

  def __init__(self, store, registry):
    self.store, self.registry = store, registry
    self.known = {}  # digest -> a repository that has it, for cross-repository mounts
    self.uploaded = 0

  def blob(self, name, digest):
    if self.known.get(digest) == name or self.registry.has_blob(name, digest):
      self.known.setdefault(digest, name)
      return
    if not self.store.has_blob(digest):
      raise ImageToolError(f"blob {digest} for {name} is missing from the store {self.store.root}; "
                           "rerun imagetool.py build")
    self.registry.upload_blob(name, digest, self.store.blob_path(digest), mount_from=self.known.get(digest))
    self.known[digest] = name
    self.uploaded += 1

  def manifest(self, name, digest, media_type, tag=None):
    doc = json.loads(self.store.read_blob(digest))
    if media_type in LIST_TYPES:
      for child in doc["manifests"]:
        if child["mediaType"] in ALL_MANIFEST_TYPES:
          self.manifest(name, child["digest"], child["mediaType"])
        else:
          self.blob(name, child["digest"])
    else:
      for desc in [doc["config"]] + doc["layers"]:
        self.blob(name, desc["digest"])
    reference = tag or digest
    if self.registry.manifest_digest(name, reference, media_type) != digest:
      self.registry.put_manifest(name, reference, media_type, self.store.read_blob(digest))
      self.uploaded += 1


def cmd_push(args):
  with open(args.refs) as f:
    refs = json.load(f)
  pusher = Pusher(Store(args.store), Registry(args.registry))
  for ref in refs:
    pusher.manifest(ref["name"], ref["digest"], ref["mediaType"], ref["tag"])
  if args.list:
    with open(args.list, "w") as f:
      f.writelines(f"{r['name']}:{r['tag']}\n" for r in refs)
  log(f"{len(refs)} tags on {args.registry} up to date ({pusher.uploaded} blobs/manifests uploaded)")


# ---------------------------------------------------------------------------------------------- unpack

def resolve_inside(root, rel):
  """The host path of `rel` inside `root`, following symlinks in parent directories as a chroot would."""
  parts, current, hops = [p for p in rel.split("/") if p not in ("", ".")], "", 0
  while len(parts) > 1:
    head = parts.pop(0)
    candidate = os.path.join(root, current, head) if head != ".." else None
    if head == "..":
      current = os.path.dirname(current)
    elif os.path.islink(candidate):
      hops += 1
      if hops > 40:
        raise ImageToolError(f"too many symlinks resolving {rel} in {root}")
      target = os.readlink(candidate)
      if target.startswith("/"):
        current = ""
      parts = [p for p in target.split("/") if p not in ("", ".")] + parts
    else:
      current = os.path.join(current, head)
  return os.path.join(root, current, *parts)


def remove_path(path):
  if os.path.isdir(path) and not os.path.islink(path):
    shutil.rmtree(path)
  elif os.path.lexists(path):
    os.unlink(path)


def apply_layer(tar_path, dest):
  """Applies one uncompressed layer tar to dest: whiteouts first (they hide lower layers only), then entries."""
  with tarfile.open(tar_path) as tar:
    members = tar.getmembers()
    for m in members:
      parent, _, leaf = tar_name(m.name).rpartition("/")
      if leaf == ".wh..wh..opq":
        target = resolve_inside(dest, parent)
        for child in os.listdir(target) if os.path.isdir(target) else []:
          remove_path(os.path.join(target, child))
      elif leaf.startswith(".wh."):
        remove_path(resolve_inside(dest, (parent + "/" if parent else "") + leaf[4:]))
    for m in members:
      name = tar_name(m.name)
      if not name or name.rpartition("/")[2].startswith(".wh."):
        continue
      path = resolve_inside(dest, name)
      if not (m.isdir() and os.path.isdir(path) and not os.path.islink(path)):
        remove_path(path)
      if m.isdir():
        os.makedirs(path, exist_ok=True)
      elif m.issym():
        os.symlink(m.linkname, path)
      elif m.islnk():
        os.link(resolve_inside(dest, tar_name(m.linkname)), path)
        continue
      elif m.isreg():
        with tar.extractfile(m) as src, open(path, "wb") as out:
          shutil.copyfileobj(src, out, 1 << 20)
      else:
        continue  # device nodes and fifos: the runtime provides /dev
      os.lchown(path, m.uid, m.gid)
      if not m.issym():
        os.chmod(path, m.mode)  # after chown, which clears setuid bits
        os.utime(path, (m.mtime, m.mtime))


def decompress(src, dst, media_type):
  if media_type.endswith("gzip"):
    with gzip.open(src, "rb") as fin, open(dst, "wb") as out:
      shutil.copyfileobj(fin, out, 1 << 20)
  elif media_type.endswith("zstd"):
    with open(dst, "wb") as out:
      subprocess.run(["zstd", "-q", "-d", "-c", src], check=True, stdout=out)
  else:
    shutil.copyfile(src, dst)


def cmd_unpack(args):
  registry = Registry(args.registry, args.user, args.password)
  name, _, tag = args.image.rpartition(":")
  media_type, data = registry.get_manifest(name, tag)
  doc = json.loads(data)
  if media_type in LIST_TYPES:
    chosen = [m for m in doc["manifests"] if m["mediaType"] in MANIFEST_TYPES
              and m.get("platform", {}).get("architecture") == "amd64" and m["platform"].get("os") == "linux"]
    if not chosen:
      raise ImageToolError(f"{args.image}: the index has no linux/amd64 image manifest")
    _, data = registry.get_manifest(name, chosen[0]["digest"])
    doc = json.loads(data)
  os.makedirs(args.dest, exist_ok=True)
  if args.config_out:
    with open(args.config_out, "wb") as f:
      f.write(registry.blob_bytes(name, doc["config"]["digest"]))
  with tempfile.TemporaryDirectory() as tmp:
    for i, layer in enumerate(doc["layers"]):
      blob, tar = os.path.join(tmp, f"{i}.blob"), os.path.join(tmp, f"{i}.tar")
      with open(blob, "wb") as f:
        f.write(registry.blob_bytes(name, layer["digest"]))
      decompress(blob, tar, layer["mediaType"])
      apply_layer(tar, args.dest)
  log(f"unpacked {args.image} ({len(doc['layers'])} layers) into {args.dest}")


# ---------------------------------------------------------------------------------------------- main

def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  sub = parser.add_subparsers(dest="command", required=True)
  build = sub.add_parser("build", help="build images from a spec into the store")
  build.add_argument("--spec", required=True)
  build.add_argument("--store", required=True)
  build.add_argument("--rootfs", action="append", default=[], metavar="NAME=TAR",
                     help="a rootfs tar (with TAR minus .tar plus .recipe beside it) that specs call NAME")
  build.add_argument("--out", required=True, help="JSON list of the built tags, for push")
  build.add_argument("--epoch", type=int, default=int(os.environ.get("SOURCE_DATE_EPOCH", "0")))
  build.add_argument("--only", nargs="*", help="build only these repository:tag images")
  build.set_defaults(func=cmd_build)
  push = sub.add_parser("push", help="push built tags to a registry")
  push.add_argument("--store", required=True)
  push.add_argument("--refs", required=True)
  push.add_argument("--registry", required=True)
  push.add_argument("--list", help="write every pushed repository:tag to this file")
  push.set_defaults(func=cmd_push)
  unpack = sub.add_parser("unpack", help="pull an image (linux/amd64) and apply its layers into a directory")
  unpack.add_argument("--registry", required=True)
  unpack.add_argument("--user")
  unpack.add_argument("--password")
  unpack.add_argument("--config-out", help="also save the image config JSON here")
  unpack.add_argument("image")
  unpack.add_argument("dest")
  unpack.set_defaults(func=cmd_unpack)
  args = parser.parse_args(argv)
  try:
    args.func(args)
  except (ImageToolError, subprocess.CalledProcessError, OSError) as e:
    print(f"imagetool: ERROR: {e}", file=sys.stderr)
    return 1
  return 0


if __name__ == "__main__":
  sys.exit(main())
