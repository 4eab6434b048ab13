// Private runtime routines (64-bit divide/remainder, register-amount 64-bit shifts/rotates, bulk memory) as Thumb-2 assembly text.
#include "arm/emit/emitter.h"
#include "arm/target/runtime.h"

#include <algorithm>

namespace vcr::emit::detail {

namespace {

constexpr const char *kNames[] = {"udiv64", "sdiv64", "urem64", "srem64", "shl64",
                                  "shru64", "shrs64", "rotl64", "rotr64", "float_runtime",
                                  "memory_runtime"};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<size_t>(Routine::Count));

bool has(uint32_t mask, Routine r) { return mask & (1u << static_cast<unsigned>(r)); }

/// Directives that open a local Thumb function.
std::string open(const std::string &sym) {
  return fmt::format("\t.p2align 2\n\t.type {0}, %function\n\t.thumb_func\n{0}:\n", sym);
}
std::string close(const std::string &sym) { return fmt::format("\t.size {0}, .-{0}\n", sym); }

/// Unsigned 64-bit divide core: in r0:r1 = n, r2:r3 = d; out r0:r1 = n / d,
/// r2:r3 = n % d (d = 0: quotient 0, remainder n). Clobbers r4-r7 and the
/// flags; preserves r8-r12. Restoring shift-subtract, 64 steps, with a
/// 32-bit UDIV fast path when both high words are zero.
const char *kUDivModCore = R"(	.p2align 2
	.type __vcr_rt_udivmod64_core, %function
	.thumb_func
__vcr_rt_udivmod64_core:
	orrs r4, r2, r3
	bne 1f
	mov r2, r0
	mov r3, r1
	movs r0, #0
	movs r1, #0
	bx lr
1:	orrs r4, r1, r3
	bne 2f
	udiv r4, r0, r2
	mls r2, r4, r2, r0
	mov r0, r4
	movs r3, #0
	bx lr
2:	movs r4, #0
	movs r5, #0
	movs r6, #64
3:	adds r0, r0, r0
	adcs r1, r1, r1
	adcs r4, r4, r4
	adcs r5, r5, r5
	bcs 4f
	cmp r4, r2
	sbcs r7, r5, r3
	bcc 5f
4:	subs r4, r4, r2
	sbc r5, r5, r3
	orr r0, r0, #1
5:	subs r6, r6, #1
	bne 3b
	mov r2, r4
	mov r3, r5
	bx lr
	.size __vcr_rt_udivmod64_core, .-__vcr_rt_udivmod64_core
)";

/// Signed 64-bit divide core, truncating: in r0:r1 = n, r2:r3 = d; out
/// r0:r1 = quotient, r2:r3 = remainder (sign of n). d = 0 gives 0 and n;
/// INT64_MIN / -1 gives INT64_MIN and 0 (|INT64_MIN| = 2^63 unsigned).
/// Clobbers r4-r7 and the flags.
const char *kSDivModCore = R"(	.p2align 2
	.type __vcr_rt_sdivmod64_core, %function
	.thumb_func
__vcr_rt_sdivmod64_core:
	push {r1, r3, lr}
	cmp r1, #0
	bge 1f
	mvn r1, r1
	rsbs r0, r0, #0
	adc r1, r1, #0
1:	cmp r3, #0
	bge 2f
	mvn r3, r3
	rsbs r2, r2, #0
	adc r3, r3, #0
2:	bl __vcr_rt_udivmod64_core
	pop {r4, r5}
	eors r5, r5, r4
	bpl 3f
	mvn r1, r1
	rsbs r0, r0, #0
	adc r1, r1, #0
3:	cmp r4, #0
	bge 4f
	mvn r3, r3
	rsbs r2, r2, #0
	adc r3, r3, #0
4:	pop {pc}
	.size __vcr_rt_sdivmod64_core, .-__vcr_rt_sdivmod64_core
)";

/// rotl64 of r0:r1 by r2 (0..63) into r0:r1; clobbers r2-r6.
const char *kRotlBody = R"(	tst r2, #32
	beq 1f
	mov r3, r0
	mov r0, r1
	mov r1, r3
1:	and r2, r2, #31
	rsb r3, r2, #32
	lsl r4, r1, r2
	lsr r5, r0, r3
	orr r4, r4, r5
	lsl r5, r0, r2
	lsr r6, r1, r3
	orr r0, r5, r6
	mov r1, r4
)";

/// The computation of one public routine, between loading the operands
/// (r0:r1 = a, r2:r3 = b or r2 = amount mod 64) and storing r0:r1.
std::string body(Routine r) {
  switch (r) {
  case Routine::UDiv64: return "\tbl __vcr_rt_udivmod64_core\n";
  case Routine::URem64: return "\tbl __vcr_rt_udivmod64_core\n\tmov r0, r2\n\tmov r1, r3\n";
  case Routine::SDiv64: return "\tbl __vcr_rt_sdivmod64_core\n";
  case Routine::SRem64: return "\tbl __vcr_rt_sdivmod64_core\n\tmov r0, r2\n\tmov r1, r3\n";
  // Register shifts use the bottom byte: amounts 32..255 (and negative
  // differences, 224..255) shift everything out, so the three-term forms
  // need no branch.
  case Routine::Shl64:
    return "\tlsl r1, r1, r2\n\trsb r3, r2, #32\n\tlsr r4, r0, r3\n\torr r1, r1, r4\n"
           "\tsub r3, r2, #32\n\tlsl r4, r0, r3\n\torr r1, r1, r4\n\tlsl r0, r0, r2\n";
  case Routine::ShrU64:
    return "\tlsr r0, r0, r2\n\trsb r3, r2, #32\n\tlsl r4, r1, r3\n\torr r0, r0, r4\n"
           "\tsub r3, r2, #32\n\tlsr r4, r1, r3\n\torr r0, r0, r4\n\tlsr r1, r1, r2\n";
  case Routine::ShrS64:
    return "\tsubs r3, r2, #32\n\tbmi 1f\n\tasr r0, r1, r3\n\tasr r1, r1, #31\n\tb 2f\n"
           "1:\tlsr r0, r0, r2\n\trsb r3, r2, #32\n\tlsl r4, r1, r3\n\torr r0, r0, r4\n"
           "\tasr r1, r1, r2\n2:\n";
  case Routine::Rotl64: return kRotlBody;
  case Routine::Rotr64:  // rotr n = rotl ((64 - n) mod 64)
    return std::string("\trsb r2, r2, #64\n\tand r2, r2, #63\n") + kRotlBody;
  case Routine::FloatRuntime: case Routine::Count: break;
  case Routine::MemoryRuntime: break;
  }
  return "";
}

/// wasm's memory.copy and memory.fill: r0 = dst, r1 = src (copy) or value
/// (fill), r2 = n; linear memory is at R11, R10 bytes long. Both ranges are
/// checked (a carry out of `x + n` or `x + n > r10` traps oob) before any
/// byte is written; the copy runs backwards when dst > src (memmove).
/// Clobbers r0-r3 and the flags (memory.init and data.drop also r12).
std::string memoryRuntimeText() {
  const unsigned oob = arm::rt::trapCode(mir::TrapReason::OutOfBounds);
  std::string out = "\n@ ---- bulk memory (wasm memory.copy / memory.fill)\n";
  out += open("__vcr_memory_copy");
  out += fmt::format(R"(	adds r3, r1, r2
	bcs 9f
	cmp r3, r10
	bhi 9f
	adds r3, r0, r2
	bcs 9f
	cmp r3, r10
	bhi 9f
	add r0, r0, r11
	add r1, r1, r11
	cbz r2, 3f
	cmp r0, r1
	bhi 4f
1:	ldrb r3, [r1], #1
	strb r3, [r0], #1
	subs r2, r2, #1
	bne 1b
3:	bx lr
4:	add r0, r0, r2
	add r1, r1, r2
5:	ldrb r3, [r1, #-1]!
	strb r3, [r0, #-1]!
	subs r2, r2, #1
	bne 5b
	bx lr
9:	udf #{}
)", oob);
  out += close("__vcr_memory_copy");
  out += open("__vcr_memory_fill");
  out += fmt::format(R"(	adds r3, r0, r2
	bcs 9f
	cmp r3, r10
	bhi 9f
	add r0, r0, r11
	cbz r2, 2f
1:	strb r1, [r0], #1
	subs r2, r2, #1
	bne 1b
2:	bx lr
9:	udf #{}
)", oob);
  out += close("__vcr_memory_fill");
  // memory.init (r3 = segment): the segment's length word in __vcr_data
  // (0 once dropped) bounds src + n, R10 bounds dst + n; then a byte copy
  // from the segment's bytes. data.drop (r0 = segment) zeroes the length.
  out += open("__vcr_memory_init");
  out += fmt::format(R"(	push {{r4}}
	movw r12, #:lower16:__vcr_data
	movt r12, #:upper16:__vcr_data
	add r12, r12, r3, lsl #3
	ldr r4, [r12]
	adds r3, r1, r2
	bcs 9f
	cmp r3, r4
	bhi 9f
	adds r3, r0, r2
	bcs 9f
	cmp r3, r10
	bhi 9f
	ldr r4, [r12, #4]
	add r1, r1, r4
	add r0, r0, r11
	cbz r2, 2f
1:	ldrb r3, [r1], #1
	strb r3, [r0], #1
	subs r2, r2, #1
	bne 1b
2:	pop {{r4}}
	bx lr
9:	udf #{}
)", oob);
  out += close("__vcr_memory_init");
  out += open("__vcr_data_drop");
  out += R"(	movw r12, #:lower16:__vcr_data
	movt r12, #:upper16:__vcr_data
	movs r1, #0
	str r1, [r12, r0, lsl #3]
	bx lr
)";
  out += close("__vcr_data_drop");
  return out;
}

bool isShift(Routine r) {
  return r == Routine::Shl64 || r == Routine::ShrU64 || r == Routine::ShrS64 ||
         r == Routine::Rotl64 || r == Routine::Rotr64;
}

}  // namespace

std::string dataSegmentsText(const mir::Module &m) {
  // Writable (a run's data.drop zeroes a length; the runner rewrites .data
  // before every run): per segment its length (0 if active) and its bytes.
  std::string out = "\n@ ---- data segments for memory.init / data.drop\n\t.data\n\t.p2align 2\n__vcr_data:\n";
  for (size_t k = 0; k < m.data.size(); ++k) {
    const bool bytes = m.data[k].passive && !m.data[k].bytes.empty();
    out += fmt::format("\t.word {}, {}\n", m.data[k].passive ? m.data[k].bytes.size() : 0,
                       bytes ? fmt::format("__vcr_data_{}", k) : std::string("0"));
  }
  out += "\t.section .rodata\n";
  for (size_t k = 0; k < m.data.size(); ++k) {
    if (!m.data[k].passive || m.data[k].bytes.empty()) continue;
    out += fmt::format("__vcr_data_{}:\n", k);
    for (size_t i = 0; i < m.data[k].bytes.size(); i += 16) {
      out += "\t.byte ";
      for (size_t j = i; j < std::min(i + 16, m.data[k].bytes.size()); ++j)
        out += (j > i ? ", " : "") + std::to_string(m.data[k].bytes[j]);
      out += "\n";
    }
  }
  return out + "\t.text\n";
}

std::string routineSymbol(Routine r) {
  return std::string("__vcr_rt_") + kNames[static_cast<unsigned>(r)];
}

std::string runtimeText(uint32_t mask) {
  if (!mask) return "";
  std::string out = "\n@ ---- private runtime routines (convention: see arm/emit/emit.h)\n";
  const bool sdiv = has(mask, Routine::SDiv64) || has(mask, Routine::SRem64);
  const bool udiv = sdiv || has(mask, Routine::UDiv64) || has(mask, Routine::URem64);
  if (udiv) out += kUDivModCore;
  if (sdiv) out += kSDivModCore;
  for (unsigned k = 0; k < static_cast<unsigned>(Routine::Count); ++k) {
    const auto r = static_cast<Routine>(k);
    if (!has(mask, r) || r == Routine::FloatRuntime || r == Routine::MemoryRuntime) continue;
    const std::string sym = routineSymbol(r);
    out += open(sym);
    // 9 words pushed: the caller's 16-byte operand area starts at [sp+36].
    out += "\tpush {r0-r7, lr}\n\tldrd r0, r1, [sp, #36]\n";
    if (isShift(r)) out += "\tldr r2, [sp, #44]\n\tand r2, r2, #63\n";
    else out += "\tldrd r2, r3, [sp, #44]\n";
    out += body(r);
    out += "\tstrd r0, r1, [sp, #36]\n\tpop {r0-r7, pc}\n";
    out += close(sym);
  }
  if (has(mask, Routine::MemoryRuntime)) out += memoryRuntimeText();
  if (has(mask, Routine::FloatRuntime)) {
    out += "\n@ ---- float runtime (arm/emit/runtime/float_runtime.c, clang-14 -O2)\n";
    out += floatRuntimeText();
    out += "\n\t.syntax unified\n\t.thumb\n\t.text\n";
  }
  return out;
}

}  // namespace vcr::emit::detail
