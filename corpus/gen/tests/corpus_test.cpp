// Tests of the bundled corpus: every fixture and kernel parses, validates,
// stays in the supported subset and keeps its function names, and each one
// computes what its comment says (known answers, and the kernels against the
// same C compiled natively).

#include "corpus/gen/tests/oracle_module.h"
#include "corpus/gen/watcheck.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

// The kernels compiled natively, each in its own namespace: the reference.
namespace native {
namespace crc {
#include "corpus/kernels/crc32.c"
}
namespace sha {
#include "corpus/kernels/sha256.c"
}
namespace xt {
#include "corpus/kernels/xtea.c"
}
namespace fi {
#include "corpus/kernels/fir.c"
}
namespace pi {
#include "corpus/kernels/pid.c"
}
namespace mm {
#include "corpus/kernels/matmul4.c"
}
namespace is {
#include "corpus/kernels/isort.c"
}
namespace b64 {
#include "corpus/kernels/base64.c"
}
namespace ha {
#include "corpus/kernels/hashes.c"
}
namespace bi {
#include "corpus/kernels/bits.c"
}
}  // namespace native

namespace fs = std::filesystem;
using vcr::gen::testing::OracleModule;
using vcr::select::OracleRun;

namespace {

const fs::path root = VCR_SOURCE_DIR;

std::vector<uint8_t> readFile(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::unique_ptr<OracleModule> loadFixture(const std::string &name) {
  fs::path p = root / "corpus/fixtures" / (name + ".wat");
  std::string err;
  auto r = OracleModule::loadFile(p.string(), &err);
  INFO(err);
  REQUIRE(r);
  return r;
}

std::unique_ptr<OracleModule> loadKernel(const std::string &name) {
  fs::path p = root / "corpus/kernels" / (name + ".wasm");
  std::string err;
  auto r = OracleModule::loadFile(p.string(), &err);
  INFO(err);
  REQUIRE(r);
  return r;
}

// Calls and requires a normal return with one result.
uint64_t call1(OracleModule &r, const std::string &f, const std::vector<uint64_t> &args) {
  OracleRun res = r.call(f, args);
  INFO(f << ": " << res.error << res.trap);
  REQUIRE(res.status == OracleRun::Status::Returned);
  REQUIRE(res.results.size() == 1);
  return res.results[0];
}

void callVoid(OracleModule &r, const std::string &f, const std::vector<uint64_t> &args) {
  OracleRun res = r.call(f, args);
  INFO(f << ": " << res.error << res.trap);
  REQUIRE(res.status == OracleRun::Status::Returned);
  CHECK(res.results.empty());
}

// Calls and requires termination; returns the trap message ("" on a return).
std::string callTrap(OracleModule &r, const std::string &f, const std::vector<uint64_t> &args) {
  OracleRun res = r.call(f, args);
  INFO(f << ": " << res.error);
  REQUIRE(vcr::gen::testing::terminated(res));
  return vcr::gen::testing::trapped(res) ? res.trap : std::string();
}

// A memory's bytes at [at, at + n) as a pointer (bounds checked).
uint8_t *memAt(OracleModule &r, size_t at, size_t n) {
  REQUIRE(at + n <= r.memory().size());
  return r.memory().data() + at;
}

uint64_t u32(int64_t v) { return static_cast<uint32_t>(v); }

// Kernel inputs go above the 16 KiB shadow stack.
constexpr uint32_t kIn = 0x8000, kOut = 0xC000, kAux = 0x10000;

}  // namespace

TEST_CASE("every fixture parses and validates and stays in the subset and names its functions") {
  const std::map<std::string, std::vector<std::string>> required = {
      {"pressure10", {"$pressure10"}},     {"control_loop", {"$control_loop"}},
      {"i64_pairs", {"$i64_pairs"}},       {"promote_chain", {"$promote_chain"}},
      {"i64_live20", {"$i64_live20"}},     {"calls", {"$callee5", "$callee6", "$callee7", "$calls"}},
      {"loops", {"$sum_to", "$nested"}},   {"br_table", {"$classify", "$run_fsm"}},
      {"deep_expr", {"$tree32", "$chain25"}}, {"memory", {"$widths", "$widths64"}},
      {"simple", {"$add", "$identity"}},   {"traps", {"$div_s", "$load_at"}}};
  std::set<std::string> seen;
  for (const auto &e : fs::directory_iterator(root / "corpus/fixtures")) {
    if (e.path().extension() != ".wat")
      continue;
    std::string name = e.path().stem().string();
    seen.insert(name);
    vcr::gen::WasmCheck c = vcr::gen::checkWasmFile(e.path().string());
    INFO(name << ": " << (c.errors.empty() ? std::string() : c.errors.front()));
    CHECK(c.ok);
    CHECK(c.unnamedFunctions == 0);
    CHECK_FALSE(c.functions.empty());
    std::vector<uint8_t> text = readFile(e.path());
    CHECK(std::string(text.begin(), text.begin() + 3) == ";; ");  // the comment block
    auto it = required.find(name);
    if (it != required.end())
      for (const std::string &f : it->second)
        CHECK(std::find(c.functions.begin(), c.functions.end(), f) != c.functions.end());
  }
  for (const auto &entry : required) {  // no structured binding: INFO captures it (clang-14)
    const std::string &name = entry.first;
    INFO(name);
    CHECK(seen.count(name) == 1);
  }
}

TEST_CASE("the checker rejects constructs outside the subset") {
  auto bad = [](const std::string &body) {
    return vcr::gen::checkWat("(module (memory 1) (table 1 externref) (func $f (param i32) (result i32) " + body + "))",
                              "bad.wat");
  };
  CHECK_FALSE(bad("(i32.trunc_f32_s (f32.const 1))").ok);  // the externref table alone is outside
  CHECK(vcr::gen::checkWat("(module (func $f (param f32) (result i32) (i32.trunc_f32_s (local.get 0))))", "f.wat").ok);
  CHECK_FALSE(
      vcr::gen::checkWat("(module (func $f (result i32) (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4))))", "simd.wat")
          .ok);
  CHECK_FALSE(bad("(memory.grow (local.get 0))").ok);  // the table
  CHECK(vcr::gen::checkWat("(module (memory 1) (data \"ab\") (func $f (param i32) (result i32) "
                           "(memory.fill (i32.const 0) (i32.const 1) (i32.const 2)) (memory.init 0 (i32.const 0) "
                           "(i32.const 0) (i32.const 2)) (data.drop 0) (memory.grow (local.get 0))))", "bulk.wat").ok);
  CHECK_FALSE(bad("(call_indirect (param) (result i32) (local.get 0))").ok);
  // one funcref table with constant active segments, and call_indirect through it, are in
  const std::string fns = "(type $t (func (result i32))) (func $a (result i32) (i32.const 1)) "
                          "(func $f (param i32) (result i32) (call_indirect (type $t) (local.get 0)))";
  CHECK(vcr::gen::checkWat("(module (table 2 funcref) (elem (i32.const 0) $a) " + fns + ")", "t.wat").ok);
  CHECK_FALSE(vcr::gen::checkWat("(module (table 2 funcref) (table 1 funcref) (elem (i32.const 0) $a) " + fns + ")",
                                 "t2.wat").ok);  // a second table
  CHECK_FALSE(vcr::gen::checkWat("(module (global $g i32 (i32.const 0)) (table 2 funcref) (elem (global.get $g) $a) " +
                                 fns + ")", "t3.wat").ok);  // an offset that is no constant
  vcr::gen::WasmCheck c = vcr::gen::checkWat("(module (func $f (result i32) (i32.const 1)))", "ok.wat");
  CHECK(c.ok);
  CHECK(c.functions == std::vector<std::string>{"$f"});
  vcr::gen::WasmCheck broken = vcr::gen::checkWat("(module (func $f (result i32) (i64.const 1)))", "broken.wat");
  CHECK_FALSE(broken.ok);
  REQUIRE_FALSE(broken.errors.empty());
  CHECK(broken.errors.front().find("broken.wat") != std::string::npos);
  CHECK_FALSE(vcr::gen::checkWasmFile("/nonexistent/x.wasm").ok);
}

TEST_CASE("fixtures compute what their comments say") {
  auto simple = loadFixture("simple");
  CHECK(call1(*simple, "add", {2, 3}) == 5);
  CHECK(call1(*simple, "add64", {~0ull, 2}) == 1);
  CHECK(call1(*simple, "max_s", {u32(-5), 3}) == 3);
  CHECK(call1(*simple, "drop_it", {9}) == 7);

  auto p10 = loadFixture("pressure10");
  for (uint32_t a : {0u, 7u, 0xdeadbeefu})
    for (uint32_t b : {1u, 12345u, 0x80000000u}) {
      uint32_t v[10] = {a + b, a - b, a * b, a ^ 0x5a5a5a5au, b & 0x0ff0u, a | b, a << 3,
                        (b << (a & 31)) | (b >> ((32 - (a & 31)) & 31)), b >> 1,
                        static_cast<uint32_t>((a ? __builtin_clz(a) : 32) + __builtin_popcount(b))};
      uint32_t sum = 0;
      for (uint32_t x : v)
        sum += x;
      CHECK(call1(*p10, "pressure10", {a, b}) == sum);
    }
  CHECK(call1(*p10, "pressure10_consts", {}) == 55u * 0x1111u);

  auto pc = loadFixture("promote_chain");
  for (uint32_t a : {1u, 5u, 0xfffffff0u}) {
    uint32_t b = a * 3 + 1;
    uint32_t l[5] = {a + 1, b ^ 0x55, a * b, 0, 0};
    l[3] = l[0] - l[1];
    l[4] = l[2] >> 2;
    uint32_t prod = 1;
    for (uint32_t k = 1; k <= 15; ++k) {
      uint32_t x = l[(k - 1) % 5];
      prod *= k <= 5 ? x + k : k <= 10 ? x ^ k : x | k;
    }
    uint32_t expect = prod + ((l[0] + l[1]) ^ (l[2] + l[3] + l[4]));
    CHECK(call1(*pc, "promote_chain", {a, b}) == expect);
  }

  auto loops = loadFixture("loops");
  CHECK(call1(*loops, "sum_to", {10}) == 45);
  CHECK(call1(*loops, "fib", {10}) == 55);
  CHECK(call1(*loops, "countdown", {2}) == 21);
  CHECK(call1(*loops, "find_byte", {0, 10, 5}) == u32(-1));

  auto bt = loadFixture("br_table");
  CHECK(call1(*bt, "classify", {2}) == 30);
  CHECK(call1(*bt, "classify", {77}) == u32(-1));
  CHECK(call1(*bt, "pick", {2, 7, 3}) == 21);
  CHECK(call1(*bt, "pick", {9, 7, 3}) == 4);
  const char text[] = "ab 12 c3 #x 9\n 77 z";
  std::memcpy(memAt(*bt, 100, sizeof text - 1), text, sizeof text - 1);
  CHECK(call1(*bt, "run_fsm", {100, sizeof text - 1}) == (2u << 16) + 3u);

  auto mem = loadFixture("memory");
  CHECK(call1(*mem, "memsize", {}) == 1);
  CHECK(call1(*mem, "globals", {5}) == 5);
  CHECK(call1(*mem, "globals", {5}) == 10);
  call1(*mem, "widths", {0, 0x80});
  CHECK(static_cast<int8_t>(mem->memory().at(0)) == -128);

  auto traps = loadFixture("traps");
  CHECK(callTrap(*traps, "div_s", {1, 0}).find("divide by zero") != std::string::npos);
  CHECK(callTrap(*traps, "div_s", {0x80000000u, u32(-1)}).find("overflow") != std::string::npos);
  CHECK(call1(*traps, "rem_s", {0x80000000u, u32(-1)}) == 0);
  CHECK(callTrap(*traps, "load_at", {65533}).find("out of bounds") != std::string::npos);
  CHECK(callTrap(*traps, "load_offset", {3}).find("out of bounds") != std::string::npos);
  CHECK(callTrap(*traps, "store_then_trap", {8, 42}).find("out of bounds") != std::string::npos);
  CHECK(call1(*traps, "load_at", {8}) == 42);  // the first store happened
  CHECK(callTrap(*traps, "unreachable_if", {1}).find("unreachable") != std::string::npos);
  CHECK(call1(*traps, "unreachable_if", {0}) == 1);
}

TEST_CASE("pressure fixtures terminate on arbitrary inputs") {
  for (const char *name : {"control_loop", "i64_pairs", "i64_live20", "deep_expr", "calls", "loops", "memory"}) {
    auto r = loadFixture(name);
    for (const std::string &f : r->exportedFunctions())
      for (uint64_t seed : {0ull, 1ull, 0xffffffffffffffffull, 0x123456789abcdefull}) {
        std::vector<uint64_t> args;
        for (int i = 0; i < r->paramCount(f); ++i)
          args.push_back(seed * (i + 1) + static_cast<uint64_t>(i));
        OracleRun res = r->call(f, args);
        INFO(name << " " << f << ": " << res.error << res.trap);
        CHECK(res.status == OracleRun::Status::Returned);  // none of these fixtures traps
      }
  }
}

TEST_CASE("every kernel has a built .wasm in the subset with its names") {
  const std::map<std::string, std::vector<std::string>> required = {
      {"crc32", {"$crc32", "$crc32_update"}}, {"sha256", {"$sha256_compress"}},
      {"xtea", {"$xtea_encipher", "$xtea_decipher"}}, {"fir", {"$fir_q15"}},
      {"pid", {"$pid_step", "$pid_run"}}, {"matmul4", {"$matmul4"}},
      {"isort", {"$insertion_sort"}}, {"base64", {"$base64_encode", "$base64_char"}},
      {"hashes", {"$adler32", "$fnv1a32", "$fnv1a64"}}, {"bits", {"$gcd64", "$isqrt64"}},
      {"memops", {"$ring_push", "$frame_build", "$shift_window", "$insert_byte"}},
      {"fsm", {"$fsm_tokenize"}},
      {"biquad", {"$biquad_cascade", "$biquad_lowpass", "$biquad_run"}},
      {"pidf", {"$pidf_step", "$pidf_init", "$pidf_run", "$pidf_sim"}},
      {"attitude", {"$att_atan2", "$att_inv_sqrt", "$attitude_update", "$attitude_run"}},
      {"quat", {"$quat_normalize", "$quat_integrate", "$quat_rotate", "$quat_run"}},
      {"fft", {"$fft_twiddles", "$fft_bitreverse", "$fft_radix2", "$fft_run"}},
      {"dsp64", {"$goertzel64", "$iir64_q31", "$poly64", "$sum_f32_in_f64", "$ticks_to_us", "$dsp64_run"}},
      {"fsm_ptr", {"$motor_init", "$motor_tick", "$fsm_ptr_run"}},
      {"bufops", {"$pkt_assemble", "$ring_read", "$rx_compact", "$header_next", "$bufops_run"}}};
  unsigned sources = 0;
  for (const auto &e : fs::directory_iterator(root / "corpus/kernels")) {
    if (e.path().extension() != ".c")
      continue;
    ++sources;
    fs::path wasm = e.path();
    wasm.replace_extension(".wasm");
    INFO(wasm.string());
    REQUIRE(fs::exists(wasm));
    vcr::gen::WasmCheck c = vcr::gen::checkWasmFile(wasm.string());
    INFO((c.errors.empty() ? std::string() : c.errors.front()));
    CHECK(c.ok);
    CHECK(c.unnamedFunctions == 0);
    auto it = required.find(e.path().stem().string());
    REQUIRE(it != required.end());
    for (const std::string &f : it->second)
      CHECK(std::find(c.functions.begin(), c.functions.end(), f) != c.functions.end());
  }
  CHECK(sources >= 8);
}

TEST_CASE("kernels give known answers") {
  auto crc = loadKernel("crc32");
  std::memcpy(memAt(*crc, kIn, 9), "123456789", 9);
  CHECK(call1(*crc, "crc32", {kIn, 9}) == 0xCBF43926u);

  auto sha = loadKernel("sha256");
  uint32_t k[64];
  for (unsigned i = 0, p = 2; i < 64; ++p) {  // K[i]: cube roots of the first primes
    bool prime = true;
    for (unsigned d = 2; d * d <= p; ++d)
      prime = prime && p % d != 0;
    if (!prime)
      continue;
    unsigned __int128 target = static_cast<unsigned __int128>(p) << 96, lo = 0, hi = 1ull << 36;
    while (hi - lo > 1) {
      unsigned __int128 mid = (lo + hi) / 2;
      (mid * mid * mid <= target ? lo : hi) = mid;
    }
    k[i++] = static_cast<uint32_t>(lo);
  }
  REQUIRE(k[0] == 0x428a2f98u);
  REQUIRE(k[63] == 0xc67178f2u);
  uint32_t state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  uint8_t block[64] = {'a', 'b', 'c', 0x80};
  block[63] = 24;
  std::memcpy(memAt(*sha, kIn, sizeof state), state, sizeof state);
  std::memcpy(memAt(*sha, kIn + 64, sizeof block), block, sizeof block);
  std::memcpy(memAt(*sha, kAux, sizeof k), k, sizeof k);
  callVoid(*sha, "sha256_compress", {kIn, kIn + 64, kAux});
  const uint32_t abc[8] = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                           0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
  CHECK(std::memcmp(memAt(*sha, kIn, sizeof abc), abc, sizeof abc) == 0);

  auto b64 = loadKernel("base64");
  for (auto [in, out] : std::vector<std::pair<std::string, std::string>>{
           {"foobar", "Zm9vYmFy"}, {"fooba", "Zm9vYmE="}, {"f", "Zg=="}, {"", ""}}) {
    std::memcpy(memAt(*b64, kIn, in.size()), in.data(), in.size());
    uint64_t n = call1(*b64, "base64_encode", {kIn, in.size(), kOut});
    CHECK(std::string(reinterpret_cast<char *>(memAt(*b64, kOut, n)), n) == out);
  }

  auto ha = loadKernel("hashes");
  std::memcpy(memAt(*ha, kIn, 9), "Wikipedia", 9);
  CHECK(call1(*ha, "adler32", {kIn, 9}) == 0x11E60398u);
  std::memcpy(memAt(*ha, kIn, 1), "a", 1);
  CHECK(call1(*ha, "fnv1a32", {kIn, 1}) == 0xe40c292cu);
  CHECK(call1(*ha, "fnv1a64", {kIn, 1}) == 0xaf63dc4c8601ec8cull);

  auto bits = loadKernel("bits");
  CHECK(call1(*bits, "gcd64", {48, 18}) == 6);
  CHECK(call1(*bits, "isqrt64", {1000000000000ull}) == 1000000);
  CHECK(call1(*bits, "isqrt64", {~0ull}) == 0xffffffffu);
  CHECK(call1(*bits, "bit_reverse64", {1}) == 1ull << 63);
  CHECK(call1(*bits, "log2_floor64", {1ull << 40}) == 40);
  CHECK(call1(*bits, "trailing_zeros64", {0}) == 64);

  auto xtea = loadKernel("xtea");
  const uint32_t key[4] = {0x00010203, 0x04050607, 0x08090a0b, 0x0c0d0e0f};
  const uint32_t v[2] = {0x41424344, 0x45464748};
  std::memcpy(memAt(*xtea, kIn, sizeof v), v, sizeof v);
  std::memcpy(memAt(*xtea, kAux, sizeof key), key, sizeof key);
  callVoid(*xtea, "xtea_encipher", {32, kIn, kAux});
  uint32_t enc[2];
  std::memcpy(enc, memAt(*xtea, kIn, sizeof enc), sizeof enc);
  CHECK(enc[0] == 0x497df3d0u);
  CHECK(enc[1] == 0x72612cb5u);
  callVoid(*xtea, "xtea_decipher", {32, kIn, kAux});
  CHECK(std::memcmp(memAt(*xtea, kIn, sizeof v), v, sizeof v) == 0);
}

TEST_CASE("kernels agree with the same C compiled natively") {
  uint64_t x = 88172645463325252ull;
  auto rnd = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int round = 0; round < 5; ++round) {
    // crc32 / hashes over random bytes
    uint8_t buf[200];
    for (uint8_t &b : buf)
      b = static_cast<uint8_t>(rnd());
    uint32_t len = 1 + static_cast<uint32_t>(rnd() % sizeof buf);
    auto crc = loadKernel("crc32");
    std::memcpy(memAt(*crc, kIn, len), buf, len);
    CHECK(call1(*crc, "crc32", {kIn, len}) == native::crc::crc32(buf, len));
    auto ha = loadKernel("hashes");
    std::memcpy(memAt(*ha, kIn, len), buf, len);
    CHECK(call1(*ha, "adler32", {kIn, len}) == native::ha::adler32(buf, len));
    CHECK(call1(*ha, "mix64_buffer", {kIn, len / 8, rnd()}) != 0);

    // insertion sort
    int32_t a[37];
    for (int32_t &e : a)
      e = static_cast<int32_t>(rnd());
    auto is = loadKernel("isort");
    std::memcpy(memAt(*is, kIn, sizeof a), a, sizeof a);
    callVoid(*is, "insertion_sort", {kIn, 37});
    std::sort(std::begin(a), std::end(a));
    CHECK(std::memcmp(memAt(*is, kIn, sizeof a), a, sizeof a) == 0);

    // matmul4
    int32_t m[32], c[16];
    for (int32_t &e : m)
      e = static_cast<int32_t>(rnd() % 2001) - 1000;
    native::mm::matmul4(m, m + 16, c);
    auto mm = loadKernel("matmul4");
    std::memcpy(memAt(*mm, kIn, sizeof m), m, sizeof m);
    callVoid(*mm, "matmul4", {kIn, kIn + 64, kOut});
    CHECK(std::memcmp(memAt(*mm, kOut, sizeof c), c, sizeof c) == 0);
    CHECK(call1(*mm, "gram_trace4", {kIn}) == static_cast<uint64_t>(native::mm::gram_trace4(m)));

    // fir
    int16_t xs[40], h[8], y[33];
    for (int16_t &e : xs)
      e = static_cast<int16_t>(rnd());
    for (int16_t &e : h)
      e = static_cast<int16_t>(rnd());
    native::fi::fir_q15(xs, h, y, 33, 8);
    auto fir = loadKernel("fir");
    std::memcpy(memAt(*fir, kIn, sizeof xs), xs, sizeof xs);
    std::memcpy(memAt(*fir, kIn + 128, sizeof h), h, sizeof h);
    callVoid(*fir, "fir_q15", {kIn, kIn + 128, kOut, 33, 8});
    CHECK(std::memcmp(memAt(*fir, kOut, sizeof y), y, sizeof y) == 0);

    // pid
    native::pi::PidState st = {3 << 16, 1 << 12, 1 << 15, 0, 0, -50000, 50000, -1000000, 1000000};
    int32_t meas[20], out[20];
    for (int32_t &e : meas)
      e = static_cast<int32_t>(rnd() % 4000);
    auto pid = loadKernel("pid");
    std::memcpy(memAt(*pid, kIn, sizeof st), &st, sizeof st);
    std::memcpy(memAt(*pid, kAux, sizeof meas), meas, sizeof meas);
    int32_t last = native::pi::pid_run(&st, 2000, meas, out, 20);
    CHECK(call1(*pid, "pid_run", {kIn, 2000, kAux, kOut, 20}) == static_cast<uint32_t>(last));
    CHECK(std::memcmp(memAt(*pid, kOut, sizeof out), out, sizeof out) == 0);
    CHECK(std::memcmp(memAt(*pid, kIn, sizeof st), &st, sizeof st) == 0);

    // bits
    auto bits = loadKernel("bits");
    uint64_t v = rnd(), w = rnd() | 1;
    CHECK(call1(*bits, "rotmix64", {v, static_cast<uint32_t>(w)}) == native::bi::rotmix64(v, static_cast<uint32_t>(w)));
    CHECK(call1(*bits, "gcd64", {v, w}) == native::bi::gcd64(v, w));
    CHECK(call1(*bits, "isqrt64", {v}) == native::bi::isqrt64(v));
  }
}

TEST_CASE("the bulk-memory kernel gives known answers (memory.copy with overlap, memory.fill)") {
  auto mo = loadKernel("memops");
  std::memcpy(memAt(*mo, kIn, 6), "abcdef", 6);
  CHECK(call1(*mo, "insert_byte", {kIn, 6, 2, 'X'}) == 7);
  CHECK(std::string(reinterpret_cast<char *>(memAt(*mo, kIn, 7)), 7) == "abXcdef");
  int16_t w[6] = {1, 2, 3, 4, 5, 6};
  std::memcpy(memAt(*mo, kIn, sizeof w), w, sizeof w);
  CHECK(call1(*mo, "shift_window", {kIn, 6, 2}) == 3 + 4 + 5 + 6);
  const int16_t shifted[6] = {3, 4, 5, 6, 0, 0};
  CHECK(std::memcmp(memAt(*mo, kIn, sizeof shifted), shifted, sizeof shifted) == 0);
  std::memcpy(memAt(*mo, kAux, 5), "hello", 5);
  CHECK(call1(*mo, "ring_push", {kOut, 8, 6, kAux, 5}) == 3);
  CHECK(std::string(reinterpret_cast<char *>(memAt(*mo, kOut, 3)), 3) == "llo");
  CHECK(std::string(reinterpret_cast<char *>(memAt(*mo, kOut + 6, 2)), 2) == "he");
  CHECK(call1(*mo, "frame_build", {kOut, kAux, 5}) == 32);
  CHECK(*memAt(*mo, kOut, 1) == 5);
  CHECK(*memAt(*mo, kOut + 21, 1) == 0);  // the padding is cleared
}
