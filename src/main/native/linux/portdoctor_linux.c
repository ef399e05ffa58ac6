/*
 * portdoctor's optional native fast path on Linux (JNI for dev.portdoctor.os.linux.LinuxNative).
 *
 * Two calls, both what ss(8) does in C and Java 17 cannot do itself:
 *
 *  - sockets(): one sock_diag dump (NETLINK_SOCK_DIAG, inet_diag_req_v2) of the TCP or UDP sockets of
 *    one address family, with the states filtered in the kernel (LISTEN only: the kernel then walks its
 *    listening hash alone) and the local ports too (INET_DIAG_REQ_BYTECODE, as ss builds for
 *    'sport = :P'). The rows come back as a flat int array.
 *  - fdSockets(): the socket links of one /proc/PID/fd directory whose inodes are wanted, read with
 *    readlinkat() relative to the directory (no path lookup of /proc/PID/fd/N per descriptor).
 *
 * Nothing is kept between calls; every buffer is freed on every path. Errors are returned as negative
 * errno values in the first element of the result, which the Java side maps to its fallback (the
 * /proc/net tables and its own fd walk). A null result means a JNI exception is pending
 * (OutOfMemoryError from the JVM itself).
 */
#define _GNU_SOURCE
#include <jni.h>

#include "dev_portdoctor_os_linux_LinuxNative.h" /* javac -h: the compiler checks every signature against it */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

/* The layout both sides agree on; LinuxNative.ABI must equal it. */
#define PD_ABI 1

/* One socket row of sockets(): state, local port, remote port, uid, inode (unsigned), local address
 * (4 words), remote address (4 words); each address word holds 4 bytes in network order, the first
 * byte in the top bits (IPv4: word 0 only). */
#define PD_ROW 13

/* Port ranges filtered in the kernel at most; more, and Java filters them alone. */
#define PD_MAX_RANGES 16

JNIEXPORT jint JNICALL Java_dev_portdoctor_os_linux_LinuxNative_abi(JNIEnv *env, jclass cls) {
  (void) env;
  (void) cls;
  return PD_ABI;
}

/* A growable array of ints or longs, freed by its owner on every path. */
typedef struct {
  void *data;
  size_t len; /* elements used */
  size_t cap; /* elements allocated */
  size_t size; /* bytes per element */
} vec;

static int vec_reserve(vec *v, size_t more) {
  if (v->len + more <= v->cap) {
    return 0;
  }
  size_t cap = v->cap ? v->cap : 256;
  while (cap < v->len + more) {
    if (cap > SIZE_MAX / 2 / v->size) {
      return -ENOMEM;
    }
    cap *= 2;
  }
  void *p = realloc(v->data, cap * v->size);
  if (p == NULL) {
    return -ENOMEM;
  }
  v->data = p;
  v->cap = cap;
  return 0;
}

static jintArray int_result(JNIEnv *env, jint status, const jint *rows, size_t n) {
  if (n > (size_t) INT32_MAX - 1) {
    status = -ENOMEM;
    n = 0;
  }
  jintArray out = (*env)->NewIntArray(env, (jsize) (n + 1));
  if (out == NULL) {
    return NULL; /* OutOfMemoryError pending */
  }
  (*env)->SetIntArrayRegion(env, out, 0, 1, &status);
  if (n > 0 && !(*env)->ExceptionCheck(env)) {
    (*env)->SetIntArrayRegion(env, out, 1, (jsize) n, rows);
  }
  if ((*env)->ExceptionCheck(env)) {
    (*env)->DeleteLocalRef(env, out);
    return NULL;
  }
  return out;
}

/* The bytecode for "local port in one of these ranges" (inet_diag_bc_run in net/ipv4/inet_diag.c
 * accepts a socket exactly when the program's jumps land on its end). Per range an S_GE and an S_LE
 * test, each a pair of ops (the second op's 'no' holds the port); a range that fails either test goes on
 * to the next range (the last one jumps past the end: reject). Between ranges a JMP op: the kernel
 * always takes its 'no' jump (to the end: accept), while its 'yes' of 4 puts the next range on the path
 * the kernel's bytecode audit walks, which must visit every op. This is how ss(8) compiles an 'or'. */
#define PD_OP ((unsigned short) sizeof(struct inet_diag_bc_op))
#define PD_RANGE_BC (5 * sizeof(struct inet_diag_bc_op)) /* GE pair, LE pair, JMP */

static size_t port_bytecode(unsigned char *bc, const jint *ranges, int nranges) {
  size_t total = (size_t) nranges * PD_RANGE_BC - sizeof(struct inet_diag_bc_op);
  struct inet_diag_bc_op *op = (struct inet_diag_bc_op *) bc;
  for (int i = 0; i < nranges; i++) {
    int last = i == nranges - 1;
    size_t left = total - (size_t) i * PD_RANGE_BC; /* bytes from this range's first op to the end */
    op[0].code = INET_DIAG_BC_S_GE;
    op[0].yes = 2 * PD_OP;
    op[0].no = (unsigned short) (last ? left + 4 : 5 * PD_OP);
    op[1].code = INET_DIAG_BC_NOP;
    op[1].yes = 0;
    op[1].no = (unsigned short) ranges[2 * i];
    op[2].code = INET_DIAG_BC_S_LE;
    op[2].yes = 2 * PD_OP;
    op[2].no = (unsigned short) (last ? left - 2 * PD_OP + 4 : 3 * PD_OP);
    op[3].code = INET_DIAG_BC_NOP;
    op[3].yes = 0;
    op[3].no = (unsigned short) ranges[2 * i + 1];
    if (!last) {
      op[4].code = INET_DIAG_BC_JMP;
      op[4].yes = PD_OP;
      op[4].no = (unsigned short) (left - 4 * PD_OP);
    }
    op += 5;
  }
  return total;
}

static void put_addr(jint *row, const __be32 *a) {
  for (int i = 0; i < 4; i++) {
    row[i] = (jint) ntohl(a[i]);
  }
}

/* Sends the dump request and reads every answer into rows; 0 or -errno. */
static int diag_dump(int fd, int family, int protocol, unsigned states, const jint *ranges, int nranges,
                     vec *rows) {
  struct {
    struct nlmsghdr nlh;
    struct inet_diag_req_v2 req;
    struct nlattr bc_hdr;
    unsigned char bc[PD_MAX_RANGES * PD_RANGE_BC];
  } msg;
  memset(&msg, 0, sizeof(msg));
  size_t bc_len = nranges > 0 ? port_bytecode(msg.bc, ranges, nranges) : 0;
  size_t len = NLMSG_LENGTH(sizeof(msg.req));
  if (bc_len > 0) {
    msg.bc_hdr.nla_type = INET_DIAG_REQ_BYTECODE;
    msg.bc_hdr.nla_len = (unsigned short) (NLA_HDRLEN + bc_len);
    len += NLA_HDRLEN + bc_len;
  }
  msg.nlh.nlmsg_len = (unsigned) len;
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.nlh.nlmsg_seq = 1;
  msg.req.sdiag_family = (unsigned char) family;
  msg.req.sdiag_protocol = (unsigned char) protocol;
  msg.req.idiag_states = states;

  struct sockaddr_nl kernel;
  memset(&kernel, 0, sizeof(kernel));
  kernel.nl_family = AF_NETLINK;
  ssize_t sent;
  do {
    sent = sendto(fd, &msg, len, 0, (struct sockaddr *) &kernel, sizeof(kernel));
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    return -errno;
  }
  if ((size_t) sent != len) {
    return -EIO;
  }

  /* The kernel fills at most 32 KiB per message batch (netlink_dump); a larger buffer never truncates. */
  size_t bufsize = 64 * 1024;
  char *buf = malloc(bufsize);
  if (buf == NULL) {
    return -ENOMEM;
  }
  int rc = 0;
  int done = 0;
  while (!done) {
    struct iovec iov = {buf, bufsize};
    struct msghdr mh;
    memset(&mh, 0, sizeof(mh));
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    ssize_t got = recvmsg(fd, &mh, 0);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      rc = -errno;
      break;
    }
    if (got == 0) {
      rc = -EIO; /* the kernel never closes a netlink socket */
      break;
    }
    if (mh.msg_flags & MSG_TRUNC) {
      rc = -EMSGSIZE;
      break;
    }
    /* each message checked against what was received before it is read (no NLMSG_NEXT arithmetic that
     * could step past the end of the buffer) */
    size_t off = 0;
    while (!done && off + sizeof(struct nlmsghdr) <= (size_t) got) {
      const struct nlmsghdr *h = (const struct nlmsghdr *) (buf + off);
      if (h->nlmsg_len < sizeof(struct nlmsghdr) || h->nlmsg_len > (size_t) got - off) {
        rc = -EIO;
        done = 1;
        break;
      }
      off += NLMSG_ALIGN(h->nlmsg_len);
      if (h->nlmsg_seq != 1) {
        continue; /* not an answer to this request */
      }
      if (h->nlmsg_type == NLMSG_DONE) {
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
          int e;
          memcpy(&e, NLMSG_DATA(h), sizeof(e));
          if (e < 0) {
            rc = e;
          }
        }
        done = 1;
        break;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
          const struct nlmsgerr *e = NLMSG_DATA(h);
          rc = e->error < 0 ? e->error : -EIO;
        } else {
          rc = -EIO;
        }
        done = 1;
        break;
      }
      if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg))) {
        continue;
      }
      const struct inet_diag_msg *m = NLMSG_DATA(h);
      if (m->idiag_family != family) {
        continue;
      }
      rc = vec_reserve(rows, PD_ROW);
      if (rc != 0) {
        done = 1;
        break;
      }
      jint *row = (jint *) rows->data + rows->len;
      row[0] = m->idiag_state;
      row[1] = ntohs(m->id.idiag_sport);
      row[2] = ntohs(m->id.idiag_dport);
      row[3] = (jint) m->idiag_uid;
      row[4] = (jint) m->idiag_inode;
      put_addr(row + 5, m->id.idiag_src);
      put_addr(row + 9, m->id.idiag_dst);
      rows->len += PD_ROW;
    }
  }
  free(buf);
  return rc;
}

/*
 * int[] sockets(int family, int protocol, int states, int[] portRanges)
 * [0]: 0 or -errno; then PD_ROW ints per socket. portRanges: lo,hi pairs (null: every port); more
 * than PD_MAX_RANGES ranges are not filtered here (the caller filters every row anyway).
 */
JNIEXPORT jintArray JNICALL Java_dev_portdoctor_os_linux_LinuxNative_sockets(JNIEnv *env, jclass cls, jint family,
                                                                             jint protocol, jint states,
                                                                             jintArray portRanges) {
  (void) cls;
  jint ranges[2 * PD_MAX_RANGES];
  int nranges = 0;
  if (portRanges != NULL) {
    jsize n = (*env)->GetArrayLength(env, portRanges);
    if (n % 2 != 0) {
      return int_result(env, -EINVAL, NULL, 0);
    }
    if (n > 0 && n <= 2 * PD_MAX_RANGES) {
      (*env)->GetIntArrayRegion(env, portRanges, 0, n, ranges);
      if ((*env)->ExceptionCheck(env)) {
        return NULL;
      }
      nranges = n / 2;
      for (int i = 0; i < nranges; i++) {
        if (ranges[2 * i] < 0 || ranges[2 * i + 1] > 65535 || ranges[2 * i] > ranges[2 * i + 1]) {
          return int_result(env, -EINVAL, NULL, 0);
        }
      }
    }
  }
  if ((family != AF_INET && family != AF_INET6) || (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP)) {
    return int_result(env, -EINVAL, NULL, 0);
  }
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) {
    return int_result(env, -errno, NULL, 0);
  }
  vec rows = {NULL, 0, 0, sizeof(jint)};
  int rc = diag_dump(fd, family, protocol, (unsigned) states, ranges, nranges, &rows);
  close(fd);
  jintArray out = rc == 0 ? int_result(env, 0, rows.data, rows.len) : int_result(env, rc, NULL, 0);
  free(rows.data);
  return out;
}

/* "socket:[12345]" -> 12345; 0 for any other link. */
static unsigned long long socket_inode(const char *t, ssize_t n) {
  static const char prefix[] = "socket:[";
  const ssize_t plen = (ssize_t) sizeof(prefix) - 1;
  if (n <= plen + 1 || memcmp(t, prefix, (size_t) plen) != 0 || t[n - 1] != ']') {
    return 0;
  }
  unsigned long long v = 0;
  for (ssize_t i = plen; i < n - 1; i++) {
    if (t[i] < '0' || t[i] > '9' || v > (ULLONG_MAX - 9) / 10) {
      return 0;
    }
    v = v * 10 + (unsigned) (t[i] - '0');
  }
  return v;
}

static int wanted_has(const jlong *w, jsize n, unsigned long long inode) {
  jsize lo = 0;
  jsize hi = n - 1;
  while (lo <= hi) {
    jsize mid = lo + (hi - lo) / 2;
    unsigned long long v = (unsigned long long) w[mid];
    if (v < inode) {
      lo = mid + 1;
    } else if (v > inode) {
      hi = mid - 1;
    } else {
      return 1;
    }
  }
  return 0;
}

static int parse_fd(const char *name, long *fd) {
  if (name[0] < '0' || name[0] > '9') {
    return 0;
  }
  long v = 0;
  for (const char *c = name; *c; c++) {
    if (*c < '0' || *c > '9' || v > (LONG_MAX - 9) / 10) {
      return 0;
    }
    v = v * 10 + (*c - '0');
  }
  *fd = v;
  return 1;
}

/* Walks one fd directory; 0 or -errno of opening or reading it. */
static int walk_dir(const char *path, int all, const jlong *wanted, jsize nwanted, vec *found, int *denied_links) {
  int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    return -errno;
  }
  DIR *dir = fdopendir(dfd);
  if (dir == NULL) {
    int e = errno;
    close(dfd);
    return -e;
  }
  int rc = 0;
  char target[64]; /* "socket:[" + 20 digits + "]" fits; a longer link is no socket */
  for (;;) {
    errno = 0;
    struct dirent *d = readdir(dir);
    if (d == NULL) {
      if (errno != 0 && errno != ENOENT) {
        rc = -errno; /* ENOENT: the process exited while its directory was read */
      }
      break;
    }
    long fdnum;
    if (!parse_fd(d->d_name, &fdnum)) {
      continue; /* "." and ".." */
    }
    ssize_t n = readlinkat(dfd, d->d_name, target, sizeof(target));
    if (n < 0) {
      if (errno == EACCES || errno == EPERM) {
        *denied_links = 1;
      }
      continue; /* ENOENT: the descriptor was closed meanwhile */
    }
    if (n == (ssize_t) sizeof(target)) {
      continue; /* truncated: not a socket link */
    }
    unsigned long long inode = socket_inode(target, n);
    if (inode == 0 || inode > (unsigned long long) INT64_MAX
        || (!all && !wanted_has(wanted, nwanted, inode))) {
      continue;
    }
    rc = vec_reserve(found, 2);
    if (rc != 0) {
      break;
    }
    jlong *pair = (jlong *) found->data + found->len;
    pair[0] = fdnum;
    pair[1] = (jlong) inode;
    found->len += 2;
  }
  closedir(dir); /* closes dfd */
  return rc;
}

/*
 * long[] fdSockets(byte[] dir, long[] wanted)
 * dir: the path of a /proc/PID/fd directory, no NUL; wanted: socket inodes sorted ascending (null:
 * every socket). [0]: 0 or -errno of opening or reading the directory; [1]: 1 if some link could not be
 * read for want of permission, else 0; then fd, inode pairs (those read before an error too).
 */
JNIEXPORT jlongArray JNICALL Java_dev_portdoctor_os_linux_LinuxNative_fdSockets(JNIEnv *env, jclass cls, jbyteArray dir,
                                                                                jlongArray wanted) {
  (void) cls;
  jlong head[2] = {-EINVAL, 0};
  jsize plen = (*env)->GetArrayLength(env, dir);
  char path[PATH_MAX];
  jlong *w = NULL;
  jsize nw = 0;
  vec found = {NULL, 0, 0, sizeof(jlong)};
  if (plen > 0 && plen < (jsize) sizeof(path)) {
    (*env)->GetByteArrayRegion(env, dir, 0, plen, (jbyte *) path);
    if ((*env)->ExceptionCheck(env)) {
      return NULL;
    }
    path[plen] = '\0';
    head[0] = memchr(path, '\0', (size_t) plen) != NULL ? -EINVAL : 0;
  }
  if (head[0] == 0 && wanted != NULL) {
    nw = (*env)->GetArrayLength(env, wanted);
    if (nw > 0) {
      w = malloc((size_t) nw * sizeof(jlong));
      if (w == NULL) {
        head[0] = -ENOMEM;
      } else {
        (*env)->GetLongArrayRegion(env, wanted, 0, nw, w);
        if ((*env)->ExceptionCheck(env)) {
          free(w);
          return NULL;
        }
      }
    }
  }
  if (head[0] == 0) {
    int denied = 0;
    /* an empty wanted array wants nothing: the walk still tells whether the directory is readable */
    head[0] = walk_dir(path, wanted == NULL, w, nw, &found, &denied);
    head[1] = denied;
  }
  free(w);
  size_t n = found.len; /* what was read before an error too, as the Java walk keeps it */
  if (n > (size_t) INT32_MAX - 2) {
    head[0] = -ENOMEM;
    n = 0;
  }
  jlongArray out = (*env)->NewLongArray(env, (jsize) (n + 2));
  if (out != NULL) {
    (*env)->SetLongArrayRegion(env, out, 0, 2, head);
    if (n > 0 && !(*env)->ExceptionCheck(env)) {
      (*env)->SetLongArrayRegion(env, out, 2, (jsize) n, found.data);
    }
    if ((*env)->ExceptionCheck(env)) {
      (*env)->DeleteLocalRef(env, out);
      out = NULL;
    }
  }
  free(found.data);
  return out;
}
