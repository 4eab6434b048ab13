#pragma once
// Seeded generator of random, valid, terminating wasm modules (WAT text) in
// the scalar MVP subset the selector supports: integers, and with the shares
// below f32/f64 values and call_indirect through a table of the helpers.

#include <cstdint>
#include <string>

namespace vcr::gen {

/// Knobs of the generator. Every field has a default; the output is a pure
/// function of the options (same options, same text, on every platform).
struct GenOptions {
  /// Seed of the generator's own PRNG (splitmix64).
  uint64_t seed = 1;
  /// Approximate number of wasm operators in the main function's random
  /// statements; the local initialisation and part of the pressure group come
  /// on top (about 40-60 operators at the defaults). Helpers get size / 4.
  unsigned size = 40;
  /// Target number of values kept live at once by the pressure group(s) of
  /// the main function (0 or 1: no pressure group).
  unsigned pressure = 6;
  /// Share of statements/expressions that are calls (0: no `call` at all).
  double callShare = 0.1;
  /// Share of statements that are counted loops (0: no `loop` at all).
  double loopShare = 0.1;
  /// Share of values typed i64 (0: no i64 operator in any function body).
  double i64Share = 0.2;
  /// Share of statements/expressions that load or store (0: no memory access).
  double memShare = 0.15;
  /// Number of extra small functions ($h0, $h1, ...) the main one may call;
  /// helper k only calls helpers below k (no recursion).
  unsigned helpers = 2;
  /// 0: the main function is random statements. Else it is a state
  /// machine of this many states (`size` unused): a loop around a br_table
  /// dispatch whose cases load a byte, compare it and branch to code that
  /// sets the next state (bounded by a fuel counter).
  unsigned states = 0;
  /// Declare the import "env" "ext" (param i32 i64) (result i32) and call it.
  bool imports = true;
  /// Share of values typed f32 or f64 (half each; 0: no float operator at
  /// all, and the output is exactly that of a generator without floats).
  /// Float values are observed only where wasm makes them deterministic: a
  /// NaN is replaced by 0 before it is stored, written to a global,
  /// reinterpreted as an integer or gives its sign to copysign (wasm leaves
  /// a NaN result's sign and payload open), so every implementation of the
  /// module computes the same memory, globals and integer results.
  double floatShare = 0;
  /// Share of calls to helpers made by call_indirect through the table
  /// (`(table 8 funcref)` holding $h0.. at 0..; 0: no table). The index is
  /// the helper's slot, now and then a masked computed value (which may hit
  /// a null slot or another signature and trap, as wasm requires).
  double indirectShare = 0;
};

/// A valid module in WAT text: memory 1 page exported as "memory", one mutable
/// i32 global ($g32) and one mutable i64 global ($g64) (with floats also $gf32
/// and $gf64; helpers then take and return floats too), optionally the import
/// $ext = "env" "ext" (param i32 i64) (result i32), `helpers` small functions
/// $h0.. (exported "h0"..), and the main function $gen exported as "gen" with
/// 0-6 params of mixed i32/i64 types and one i32 or i64 result. Every function
/// terminates on every input (loops are bounded by counter locals, no
/// recursion); traps (division by zero, out-of-bounds, unreachable) are
/// possible but rare. Deterministic in the options.
std::string generateWat(const GenOptions &opt);

}  // namespace vcr::gen
