//===- ThreadPool.h - the CPU runtime's workers -----------------*- C++ -*-===//
//
// A launch splits the outermost global range into one slice per hardware
// thread. Starting threads per launch costs tens of microseconds, more than
// a small kernel runs, so the runtime keeps its workers: the caller runs
// slice 0 itself and the workers the others; run() returns when all are
// done.
//
//===----------------------------------------------------------------------===//

#ifndef TG_PLUGINS_CPU_THREADPOOL_H
#define TG_PLUGINS_CPU_THREADPOOL_H

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tg {
namespace cpu {

class ThreadPool {
public:
  /// A pool running up to `Slices` slices at once (workers: Slices - 1).
  explicit ThreadPool(unsigned Slices);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  unsigned getNumSlices() const { return Workers.size() + 1; }

  /// Runs Job(0) .. Job(N - 1), N <= getNumSlices(), and waits for them.
  void run(unsigned N, const std::function<void(unsigned)> &Job);

private:
  void work(unsigned Slice);

  std::vector<std::thread> Workers;
  std::mutex Lock;
  std::condition_variable Start, Done;
  const std::function<void(unsigned)> *Current = nullptr;
  unsigned NumSlices = 0, Remaining = 0;
  uint64_t Generation = 0;
  bool Stopping = false;
};

} // namespace cpu
} // namespace tg

#endif // TG_PLUGINS_CPU_THREADPOOL_H
