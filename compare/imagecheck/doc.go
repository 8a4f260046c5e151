// Package imagecheck is the oracle of the image workload: given an input
// folder (and, for the bad-input set, its manifest), the Go reference's output
// folder and result line, and another contender's, it returns the checks that
// contender passes or fails — every input accounted for, the same files
// rejected (with the manifest's reason classes), every output of the
// reference's dimensions and in its input's format, and every output close to
// the reference's on luma (SSIM) and on each chroma channel (PSNR of Cb and of
// Cr, since a Cb/Cr swap barely moves luma).
//
// The thresholds (DefaultThresholds) were chosen from the differences
// measured between every legitimate pair of contenders; imageproc/README.md
// gives those measurements.
package imagecheck
