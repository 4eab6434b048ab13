// The target CPU: names, parsing and what each does with floating point today.
#include "arm/target/cpu.h"

#include <array>

namespace vcr::arm {

namespace {
constexpr std::array<std::string_view, 3> kNames = {"cortex-m4", "cortex-m4f", "cortex-m7"};
}

std::string_view cpuName(Cpu c) { return kNames[static_cast<size_t>(c)]; }

std::optional<Cpu> parseCpu(std::string_view s) {
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == s) return static_cast<Cpu>(i);
  if (s == "cortex-m7dp") return Cpu::CortexM7;  // the legacy compiler's name for the double-precision M7
  return std::nullopt;
}

std::string_view cpuFlags(Cpu c) {
  switch (c) {
  case Cpu::CortexM4: return "-mcpu=cortex-m4 -mfloat-abi=soft";
  case Cpu::CortexM4F: return "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard";
  case Cpu::CortexM7: return "-mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard";
  }
  return "";
}

std::string cpuNames() { return "cortex-m4|cortex-m4f|cortex-m7"; }

}  // namespace vcr::arm
