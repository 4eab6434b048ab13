// Tests of the float, function-pointer and bulk-memory kernels (issue 14):
// each computes what its comment says (a tone's FFT bin, a low-pass's DC
// gain, a quaternion's rotation, a closed loop's settling, known conversions)
// and agrees bit for bit with the same C compiled natively (x86-64 SSE
// arithmetic is IEEE single/double like wasm's; no contraction).

#include "corpus/gen/tests/oracle_module.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

// The kernels compiled natively, each in its own namespace: the reference.
namespace native {
namespace bq {
#include "corpus/kernels/biquad.c"
}
namespace pf {
#include "corpus/kernels/pidf.c"
}
namespace att {
#include "corpus/kernels/attitude.c"
}
namespace qt {
#include "corpus/kernels/quat.c"
}
namespace ff {
#include "corpus/kernels/fft.c"
}
namespace d64 {
#include "corpus/kernels/dsp64.c"
}
namespace fp {
#include "corpus/kernels/fsm_ptr.c"
}
}  // namespace native

using vcr::gen::testing::OracleModule;
using vcr::select::OracleRun;

namespace {

// Inputs above the 16 KiB shadow stack.
constexpr uint32_t kIn = 0x8000, kOut = 0xC000, kAux = 0x10000;

std::unique_ptr<OracleModule> load(const std::string &name) {
  std::string err;
  auto r = OracleModule::loadFile(std::string(VCR_SOURCE_DIR) + "/corpus/kernels/" + name + ".wasm", &err);
  INFO(err);
  REQUIRE(r);
  return r;
}

uint64_t call(OracleModule &m, const std::string &f, const std::vector<uint64_t> &args) {
  OracleRun r = m.call(f, args);
  INFO(f << ": " << r.error << r.trap);
  REQUIRE(r.status == OracleRun::Status::Returned);
  return r.results.empty() ? 0 : r.results[0];
}

template <class T> void put(OracleModule &m, uint32_t at, const T *p, size_t n) {
  REQUIRE(at + n * sizeof(T) <= m.memory().size());
  std::memcpy(m.memory().data() + at, p, n * sizeof(T));
}

template <class T> bool same(OracleModule &m, uint32_t at, const T *p, size_t n) {
  REQUIRE(at + n * sizeof(T) <= m.memory().size());
  return std::memcmp(m.memory().data() + at, p, n * sizeof(T)) == 0;
}

uint64_t fb(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float bf(uint64_t v) {
  uint32_t u = static_cast<uint32_t>(v);
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
uint64_t db(double d) {
  uint64_t u;
  std::memcpy(&u, &d, 8);
  return u;
}

struct Rng {
  uint64_t x = 0x9E3779B97F4A7C15ull;
  uint64_t operator()() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  }
  int16_t i16(int lim) { return static_cast<int16_t>(static_cast<int>((*this)() % (2 * lim + 1)) - lim); }
};

}  // namespace

TEST_CASE("the FFT kernel finds a tone and matches native code bit for bit") {
  int16_t tone[256];
  for (int i = 0; i < 256; ++i) tone[i] = static_cast<int16_t>(std::lround(8000 * std::cos(2 * M_PI * 19 * i / 256)));
  auto m = load("fft");
  put(*m, kAux, tone, 256);
  CHECK(call(*m, "fft_run", {kIn, kOut, kAux, 8}) == 19);
  static float x[512], tw[256];
  CHECK(native::ff::fft_run(x, tw, tone, 8) == 19);
  CHECK(same(*m, kIn, x, 512));
  CHECK(same(*m, kOut, tw, 256));
  CHECK(std::fabs(tw[2 * 32] - std::cos(2 * M_PI * 32 / 256)) < 1e-6);  // twiddle polynomials
}

TEST_CASE("the biquad cascade passes DC and matches native code") {
  int16_t in[300];
  Rng rng;
  for (int i = 0; i < 300; ++i) in[i] = i < 200 ? 10000 : rng.i16(20000);
  auto m = load("biquad");
  put(*m, kAux, in, 300);
  const uint64_t e = call(*m, "biquad_run", {kIn, 4, kAux, kOut, 300, fb(0.05f)});
  native::bq::Biquad s[4];
  int16_t out[300];
  CHECK(e == fb(native::bq::biquad_run(s, 4, in, out, 300, 0.05f)));
  CHECK(same(*m, kOut, out, 300));
  CHECK(same(*m, kIn, s, 4));
  CHECK(std::abs(out[199] - 10000) <= 3);  // unity gain at DC
}

TEST_CASE("the float PID settles a first-order plant and matches native code") {
  int16_t noise[400];
  Rng rng;
  for (int16_t &v : noise) v = rng.i16(32767);
  for (float sp : {1.0f, -3.0f}) {
    auto m = load("pidf");
    put(*m, kAux, noise, 400);
    const float kp = sp > 0 ? 2.0f : 50.0f, ki = sp > 0 ? 20.0f : 500.0f;  // the second one saturates
    const uint64_t iae = call(*m, "pidf_sim", {kIn, fb(kp), fb(ki), fb(0.01f), fb(sp), kAux, kOut, 400});
    native::pf::PidF s;
    float y[400];
    CHECK(iae == fb(native::pf::pidf_sim(&s, kp, ki, 0.01f, sp, noise, y, 400)));
    CHECK(same(*m, kOut, y, 400));
    CHECK(std::fabs(y[399] - sp) < 0.15f);
  }
}

TEST_CASE("the attitude filter's atan2 and inverse square root are accurate and match native code") {
  auto m = load("attitude");
  for (auto [y, x] : std::vector<std::pair<float, float>>{{1, 1}, {-1, -0.5f}, {3, -4}, {-0.2f, 9.7f}, {9.8f, 0.3f}}) {
    const float r = bf(call(*m, "att_atan2", {fb(y), fb(x)}));
    CHECK(std::fabs(r - std::atan2(y, x)) < 3e-5f);
    CHECK(fb(r) == fb(native::att::att_atan2(y, x)));
  }
  CHECK(call(*m, "att_atan2", {0, 0}) == 0);
  const float g = bf(call(*m, "att_inv_sqrt", {fb(96.17f)}));
  CHECK(std::fabs(g - 1 / std::sqrt(96.17f)) < 1e-6f);
  int16_t imu[6 * 200];
  Rng rng;
  for (int i = 0; i < 200; ++i)
    for (int c = 0; c < 6; ++c) imu[6 * i + c] = rng.i16(c < 3 ? 3000 : 6000);
  put(*m, kAux, imu, 6 * 200);
  const uint64_t r = call(*m, "attitude_run", {kIn, kAux, 200, fb(0.002f)});
  native::att::Attitude s;
  CHECK(r == fb(native::att::attitude_run(&s, imu, 200, 0.002f)));
  CHECK(same(*m, kIn, &s, 1));
  CHECK(s.rejected < 200);  // some samples are trusted
}

TEST_CASE("the quaternion kernel integrates a rotation and matches native code") {
  int16_t gyro[300] = {};
  for (int i = 0; i < 100; ++i) gyro[3 * i + 1] = 6554;  // 100 deg/s about y for 1 s
  auto m = load("quat");
  put(*m, kAux, gyro, 300);
  const float z = bf(call(*m, "quat_run", {kIn, kAux, 100, fb(0.01f)}));
  CHECK(std::fabs(z + std::sin(100 * M_PI / 180)) < 2e-3);  // x axis -> (cos, 0, -sin)
  float q[10];
  CHECK(fb(z) == fb(native::qt::quat_run(q, gyro, 100, 0.01f)));
  CHECK(same(*m, kIn, q, 10));
}

TEST_CASE("the f64 kernel converts and filters like native code") {
  auto m = load("dsp64");
  CHECK(call(*m, "ticks_to_us", {123456789012ull, 168000000, 5}) == 734861844u);
  CHECK(call(*m, "ticks_to_us", {~0ull, 1, 0}) == ~0ull);
  const uint64_t r = call(*m, "dsp64_run", {kIn, kIn + 2048, kAux, 512, 37});
  static int32_t buf[512], out[512];
  static int16_t tone[512];
  CHECK(r == static_cast<uint64_t>(native::d64::dsp64_run(buf, out, tone, 512, 37)));
  CHECK(same(*m, kIn, buf, 512));
  CHECK(same(*m, kIn + 2048, out, 512));
  float xs[300];
  for (int i = 0; i < 300; ++i) xs[i] = 0.1f * static_cast<float>(i % 17) - 0.7f;
  put(*m, kAux, xs, 300);
  CHECK(call(*m, "sum_f32_in_f64", {kAux, 300}) == fb(native::d64::sum_f32_in_f64(xs, 300)));
  const double c[4] = {1.0, -0.5, 0.25, 0.125};
  put(*m, kAux, c, 4);
  CHECK(call(*m, "poly64", {kAux, 3, db(0.75)}) == db(native::d64::poly64(c, 3, 0.75)));
}

TEST_CASE("the function-pointer motor FSM reaches RUN at the commanded speed and matches native code") {
  // START, 15 idle ticks (precharge), a speed command of ~1000, 30 idle ticks (ramp at 50 per tick)
  std::vector<uint8_t> ev;
  auto push = [&](uint8_t kind, int16_t raw) {
    ev.insert(ev.end(), {kind, 0, static_cast<uint8_t>(raw & 0xff), static_cast<uint8_t>((raw >> 8) & 0xff)});
  };
  push(native::fp::EV_START, 0);
  for (int i = 0; i < 15; ++i) push(native::fp::EV_NONE, 0);
  push(native::fp::EV_SETPOINT, 10923);
  for (int i = 0; i < 30; ++i) push(native::fp::EV_NONE, 0);
  auto m = load("fsm_ptr");
  put(*m, kAux, ev.data(), ev.size());
  const uint32_t n = static_cast<uint32_t>(ev.size() / 4);
  CHECK(call(*m, "fsm_ptr_run", {kIn, kAux, n, 1}) == ((uint32_t{native::fp::RUN} << 28) | 1000u));
  Rng rng;
  for (uint32_t profile = 0; profile < 3; ++profile) {
    for (uint8_t &b : ev) b = static_cast<uint8_t>(rng());
    put(*m, kAux, ev.data(), ev.size());
    native::fp::motor mo;
    CHECK(call(*m, "fsm_ptr_run", {kIn, kAux, n, profile}) == native::fp::fsm_ptr_run(&mo, ev.data(), n, profile));
  }
}

TEST_CASE("the bulk-memory packet kernel assembles frames and reads rings") {
  auto m = load("bufops");
  uint8_t hdr[32] = {0x42, 7, 0x34, 0x12}, payload[70];  // addr, kind, seq, stamp, route[24]
  for (int i = 8; i < 32; ++i) hdr[i] = static_cast<uint8_t>(i);
  for (int i = 0; i < 70; ++i) payload[i] = static_cast<uint8_t>(100 + i);
  put(*m, kIn, hdr, 32);
  put(*m, kIn + 64, payload, 70);
  std::memset(m->memory().data() + kOut, 0xAA, 64);
  const uint64_t sum = call(*m, "pkt_assemble", {kOut, kIn, kIn + 64, 70});  // clamped to 52
  const uint8_t *f = m->memory().data() + kOut;
  CHECK(f[0] == 0x42);
  CHECK(f[2] == 0x34);
  CHECK(f[4] == 52);
  CHECK(std::memcmp(f + 8, payload, 52) == 0);
  uint32_t tail;
  std::memcpy(&tail, f + 60, 4);
  CHECK(tail == sum);
  uint8_t ring[16];
  for (int i = 0; i < 16; ++i) ring[i] = static_cast<uint8_t>('a' + i);
  put(*m, kAux, ring, 16);
  CHECK(call(*m, "ring_read", {kAux, 16, 12, kOut, 6}) == 2);  // wraps: m n o p a b
  CHECK(std::string(reinterpret_cast<char *>(m->memory().data() + kOut), 6) == "mnopab");
  CHECK(m->memory()[kAux] == 0);  // what was read is cleared
  CHECK(m->memory()[kAux + 2] == 'c');
  CHECK(call(*m, "rx_compact", {kAux, 16, 3}) == 13);
  CHECK(m->memory()[kAux] == 'd');
  CHECK(m->memory()[kAux + 15] == 0);
  CHECK(call(*m, "header_next", {kOut, kIn, 99}) == 0x1235);
}
