// Tests of loading .wat/.wasm input: conversion, diagnostics, robustness.
#include "arm/select/oracle.h"
#include "arm/select/select.h"
#include "arm/select/wasm_load.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace vcr;
using namespace vcr::select;

namespace {

const char *kValid = R"((module
  (memory 1)
  (global $g (mut i32) (i32.const 7))
  (func $add (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func $mem (export "mem") (param i32) (result i64)
    (i64.load offset=4 (local.get 0)))
  (func (export "loop") (param i32) (result i32) (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1)))
)";

std::string writeTemp(const std::string &name, const std::vector<uint8_t> &bytes) {
  auto path = std::filesystem::temp_directory_path() / ("vcr_select_" + name);
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return path.string();
}

bool mentions(const Diagnostics &ds, const std::string &s) {
  for (const auto &d : ds)
    if (d.str().find(s) != std::string::npos) return true;
  return false;
}

/// Whatever happens, no crash: load, and if valid, select and instantiate.
void survive(const std::vector<uint8_t> &bytes) {
  Diagnostics diags;
  auto bin = checkWasmBytes(bytes, "fuzz.wasm", diags);
  if (!bin) {
    CHECK(hasErrors(diags));
    CHECK(mentions(diags, "fuzz.wasm"));
    return;
  }
  auto sel = selectModule(*bin, diags);
  CHECK(sel.has_value());
  (void)Oracle::create(*bin, diags);
}

}  // namespace

TEST_CASE("wat converts to a validated binary with names") {
  Diagnostics diags;
  auto bin = watToWasm(kValid, "valid.wat", diags);
  REQUIRE(bin);
  CHECK(diags.empty());
  REQUIRE(bin->bytes.size() > 8);
  CHECK(bin->bytes[0] == 0);
  CHECK(bin->bytes[1] == 'a');
  CHECK(bin->file == "valid.wat");
  // the name section survives: selection sees $add
  auto sel = selectModule(*bin, diags);
  REQUIRE(sel);
  CHECK(sel->module.findFunction("add") != nullptr);
}

TEST_CASE("wat syntax and type errors name file, line and column") {
  Diagnostics diags;
  CHECK_FALSE(watToWasm("(module (func (result i32) i32.const 1 i32.add)\n", "bad_type.wat", diags));
  REQUIRE(hasErrors(diags));
  CHECK(diags[0].file == "bad_type.wat");
  CHECK(diags[0].line >= 1);
  CHECK(diags[0].column > 0);

  diags.clear();
  CHECK_FALSE(watToWasm("(module\n  (func (param i32)\n    (i32.frobnicate)))\n", "bad_syntax.wat", diags));
  REQUIRE(hasErrors(diags));
  CHECK(diags[0].line == 3);
  CHECK(diags[0].str().find("bad_syntax.wat:3:") == 0);
}

TEST_CASE("loadWasmFile reads .wat and .wasm and reports unreadable files") {
  Diagnostics diags;
  auto bin = watToWasm(kValid, "valid.wat", diags);
  REQUIRE(bin);
  std::string wasmPath = writeTemp("ok.wasm", bin->bytes);
  auto loaded = loadWasmFile(wasmPath, diags);
  REQUIRE(loaded);
  CHECK(loaded->bytes == bin->bytes);
  CHECK(loaded->file == wasmPath);

  std::string text(kValid);
  std::string watPath = writeTemp("ok.wat", std::vector<uint8_t>(text.begin(), text.end()));
  auto fromText = loadWasmFile(watPath, diags);
  REQUIRE(fromText);
  CHECK(fromText->bytes == bin->bytes);

  diags.clear();
  CHECK_FALSE(loadWasmFile("/nonexistent/dir/missing.wasm", diags));
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].file == "/nonexistent/dir/missing.wasm");
  CHECK(diags[0].str().find("cannot open") != std::string::npos);

  // a directory opens as a stream and throws when read: an error, not a crash
  diags.clear();
  const std::string dir = std::filesystem::path(watPath).parent_path().string();
  CHECK_FALSE(loadWasmFile(dir, diags));
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].file == dir);
  CHECK(diags[0].str().find("is a directory") != std::string::npos);

  std::vector<uint8_t> junk = {0, 'a', 's', 'm', 1, 0, 0, 0, 0x01, 0x05, 0xff};
  std::string junkPath = writeTemp("junk.wasm", junk);
  diags.clear();
  CHECK_FALSE(loadWasmFile(junkPath, diags));
  REQUIRE(hasErrors(diags));
  CHECK(diags[0].file == junkPath);
  CHECK(diags[0].message.find("offset") != std::string::npos);
}

TEST_CASE("every truncation of a valid binary is rejected cleanly") {
  Diagnostics diags;
  auto bin = watToWasm(kValid, "valid.wat", diags);
  REQUIRE(bin);
  for (size_t n = 0; n < bin->bytes.size(); ++n) {
    std::vector<uint8_t> cut(bin->bytes.begin(), bin->bytes.begin() + static_cast<ptrdiff_t>(n));
    Diagnostics d;
    auto r = checkWasmBytes(cut, "cut.wasm", d);
    // a prefix that ends exactly at a section boundary is a valid module
    if (r) continue;
    CHECK(hasErrors(d));
    CHECK(d[0].file == "cut.wasm");
  }
  Diagnostics d;
  CHECK_FALSE(checkWasmBytes({}, "empty.wasm", d));
  CHECK(mentions(d, "empty.wasm"));
}

TEST_CASE("byte flips and random garbage never crash") {
  Diagnostics diags;
  auto bin = watToWasm(kValid, "valid.wat", diags);
  REQUIRE(bin);
  for (size_t i = 0; i < bin->bytes.size(); ++i) {
    for (uint8_t x : {uint8_t{0xff}, uint8_t{0x01}, uint8_t{0x80}}) {
      auto bytes = bin->bytes;
      bytes[i] ^= x;
      survive(bytes);
    }
  }
  uint64_t s = 12345;
  for (int k = 0; k < 300; ++k) {
    std::vector<uint8_t> bytes(static_cast<size_t>(k % 64));
    for (auto &b : bytes) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      b = static_cast<uint8_t>(s >> 56);
    }
    if (k % 2 && bytes.size() >= 8) {  // a valid header followed by garbage
      const uint8_t hdr[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
      std::copy(std::begin(hdr), std::end(hdr), bytes.begin());
    }
    if (bytes.size() < 8) {
      Diagnostics d;
      CHECK_FALSE(checkWasmBytes(bytes, "garbage.wasm", d).has_value());
    }
    survive(bytes);
    std::string text(bytes.begin(), bytes.end());
    Diagnostics dt;
    if (!watToWasm(text, "garbage.wat", dt)) CHECK(mentions(dt, "garbage.wat"));
  }
}

TEST_CASE("wat with custom-section annotations loads: the annotations are skipped") {
  Diagnostics diags;
  auto bin = watToWasm(R"((module
    (@custom "vcr" "some bytes")
    (@custom "with-place" (after type) "\00\01")
    (func $f (export "f") (result i32) (i32.const 7))))", "annot.wat", diags);
  std::string msg = diags.empty() ? std::string() : diags[0].str();
  REQUIRE_MESSAGE(bin, msg);
  auto sel = selectModule(*bin, diags);
  REQUIRE(sel);
  CHECK(sel->module.findFunction("f") != nullptr);
  // the corpus fixture, through the file loader
  diags.clear();
  auto fix = loadWasmFile("corpus/fixtures/annotations.wat", diags);
  msg = diags.empty() ? std::string() : diags[0].str();
  REQUIRE_MESSAGE(fix, msg);
  auto fsel = selectModule(*fix, diags);
  REQUIRE(fsel);
  CHECK(fsel->declined.empty());
  CHECK(fsel->module.functions.size() == 2);
  // a malformed annotation is still an error
  diags.clear();
  CHECK_FALSE(watToWasm("(module (@custom \"x\" \"y\")\n", "unterminated.wat", diags));
  CHECK(hasErrors(diags));
}
