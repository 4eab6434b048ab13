// wasmgen: command-line front end of the seeded wasm generator; prints WAT.

#include "corpus/gen/wasmgen.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

void usage(FILE *to) {
  std::fputs("usage: wasmgen [--seed N] [--size N] [--pressure N] [--helpers N] [--states N]\n"
             "               [--call-share X] [--loop-share X] [--i64-share X] [--mem-share X]\n"
             "               [--float-share X] [--indirect-share X] [--no-imports]\n"
             "Prints a random valid wasm module (WAT text) to stdout.\n",
             to);
}

bool parseUnsigned(const char *s, uint64_t &out) {
  char *end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s, &end, 0);
  if (errno || end == s || *end || s[0] == '-')
    return false;
  out = v;
  return true;
}

bool parseShare(const char *s, double &out) {
  char *end = nullptr;
  double v = std::strtod(s, &end);
  if (end == s || *end || !(v >= 0.0 && v <= 1.0))
    return false;
  out = v;
  return true;
}

}  // namespace

int main(int argc, char **argv) {
  vcr::gen::GenOptions opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      usage(stdout);
      return 0;
    }
    if (a == "--no-imports") {
      opt.imports = false;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "wasmgen: %s needs a value\n", a.c_str());
      usage(stderr);
      return 2;
    }
    const char *v = argv[++i];
    uint64_t n = 0;
    bool ok = true;
    if (a == "--seed")
      ok = parseUnsigned(v, n) && (opt.seed = n, true);
    else if (a == "--size")
      ok = parseUnsigned(v, n) && n <= 1000000 && (opt.size = static_cast<unsigned>(n), true);
    else if (a == "--states")
      ok = parseUnsigned(v, n) && n <= 100000 && (opt.states = static_cast<unsigned>(n), true);
    else if (a == "--pressure")
      ok = parseUnsigned(v, n) && n <= 1000 && (opt.pressure = static_cast<unsigned>(n), true);
    else if (a == "--helpers")
      ok = parseUnsigned(v, n) && n <= 100 && (opt.helpers = static_cast<unsigned>(n), true);
    else if (a == "--call-share")
      ok = parseShare(v, opt.callShare);
    else if (a == "--loop-share")
      ok = parseShare(v, opt.loopShare);
    else if (a == "--i64-share")
      ok = parseShare(v, opt.i64Share);
    else if (a == "--mem-share")
      ok = parseShare(v, opt.memShare);
    else if (a == "--float-share")
      ok = parseShare(v, opt.floatShare);
    else if (a == "--indirect-share")
      ok = parseShare(v, opt.indirectShare);
    else {
      std::fprintf(stderr, "wasmgen: unknown option %s\n", a.c_str());
      usage(stderr);
      return 2;
    }
    if (!ok) {
      std::fprintf(stderr, "wasmgen: bad value '%s' for %s\n", v, a.c_str());
      return 2;
    }
  }
  std::fputs(vcr::gen::generateWat(opt).c_str(), stdout);
  return 0;
}
