#pragma once
/// The target CPU (--cpu): which Cortex-M core the code is for, and what
/// that means for floating point. cortex-m4 (no FPU, the default): f32/f64
/// are words in core registers and their arithmetic calls soft-float runtime
/// routines under the base AAPCS. cortex-m4f and cortex-m7 keep f32 (and on
/// cortex-m7 f64) in the VFP register file under AAPCS-VFP (docs/vfp.md).
/// "cortex-m7dp", the legacy compiler's name for the double-precision M7,
/// is accepted as cortex-m7.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vcr::arm {

enum class Cpu : uint8_t {
  CortexM4,   ///< ARMv7E-M, no FPU: soft float (the default)
  CortexM4F,  ///< ARMv7E-M + FPv4-SP-D16: single precision in S0-S31
  CortexM7    ///< ARMv7E-M + FPv5-D16: single and double precision
};

/// "cortex-m4", "cortex-m4f", "cortex-m7".
[[nodiscard]] std::string_view cpuName(Cpu c);
/// Inverse of cpuName; nullopt for anything else.
[[nodiscard]] std::optional<Cpu> parseCpu(std::string_view s);
/// The names parseCpu accepts, "cortex-m4|cortex-m4f|cortex-m7".
[[nodiscard]] std::string cpuNames();
/// True when f32/f64 values are core-register words and every float
/// operation that is not a bit operation is a runtime call (no FPU).
[[nodiscard]] inline bool softFloat(Cpu c) { return c == Cpu::CortexM4; }
/// True when the CPU has double-precision VFP instructions (cortex-m7).
[[nodiscard]] inline bool hasF64(Cpu c) { return c == Cpu::CortexM7; }
/// Flags selecting the core, its FPU and the float ABI, accepted alike by
/// clang, arm-none-eabi-gcc and arm-none-eabi-as: "-mcpu=cortex-m4
/// -mfloat-abi=soft", "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard",
/// "-mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard" (AAPCS-VFP).
[[nodiscard]] std::string_view cpuFlags(Cpu c);

}  // namespace vcr::arm
