//go:build amd64

#include "textflag.h"

// func verticalAVX2(out *uint8, width int, src *uint8, stride int, k *int32, taps int)
//
// out[i] = clip8(1<<21 + sum over j < taps of src[j*stride+i]*k[j]) for
// i < width, width a multiple of 8: sixteen (then eight) outputs at a time,
// each tap's row widened to int32 and multiplied by the broadcast weight.
TEXT ·verticalAVX2(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ width+8(FP), CX
	MOVQ src+16(FP), SI
	MOVQ stride+24(FP), DX
	MOVQ k+32(FP), R8
	MOVQ taps+40(FP), R9
	MOVL $0x200000, AX
	VMOVD AX, X15
	VPBROADCASTD X15, Y15

loop16:
	CMPQ CX, $16
	JLT loop8
	VMOVDQA Y15, Y0
	VMOVDQA Y15, Y1
	MOVQ SI, R10
	MOVQ R8, R11
	MOVQ R9, R12

tap16:
	VPBROADCASTD (R11), Y2
	VPMOVZXBD (R10), Y3
	VPMOVZXBD 8(R10), Y4
	VPMULLD Y2, Y3, Y3
	VPMULLD Y2, Y4, Y4
	VPADDD Y3, Y0, Y0
	VPADDD Y4, Y1, Y1
	ADDQ DX, R10
	ADDQ $4, R11
	DECQ R12
	JNZ tap16

	VPSRAD $22, Y0, Y0
	VPSRAD $22, Y1, Y1
	VPACKSSDW Y1, Y0, Y0
	VPERMQ $0xD8, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPACKUSWB X1, X0, X0
	VMOVDQU X0, (DI)
	ADDQ $16, DI
	ADDQ $16, SI
	SUBQ $16, CX
	JMP loop16

loop8:
	CMPQ CX, $8
	JLT done
	VMOVDQA Y15, Y0
	MOVQ SI, R10
	MOVQ R8, R11
	MOVQ R9, R12

tap8:
	VPBROADCASTD (R11), Y2
	VPMOVZXBD (R10), Y3
	VPMULLD Y2, Y3, Y3
	VPADDD Y3, Y0, Y0
	ADDQ DX, R10
	ADDQ $4, R11
	DECQ R12
	JNZ tap8

	VPSRAD $22, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPACKSSDW X1, X0, X0
	VPACKUSWB X0, X0, X0
	VMOVQ X0, (DI)
	ADDQ $8, DI
	ADDQ $8, SI
	SUBQ $8, CX
	JMP loop8

done:
	VZEROUPPER
	RET

// func horizontalAVX2(out *uint8, width int, src *uint8, start *int, k *int32, n8 int)
//
// out[x] = clip8(1<<21 + sum over j < n8 of src[start[x]+j]*k[x*n8+j]) for
// x < width, n8 a positive multiple of 8: eight taps at a time, the eight
// lanes added up at the end of each output.
TEXT ·horizontalAVX2(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ width+8(FP), CX
	MOVQ src+16(FP), SI
	MOVQ start+24(FP), BX
	MOVQ k+32(FP), R8
	MOVQ n8+40(FP), R9
	SHRQ $3, R9
	MOVL $255, R13

pixel:
	TESTQ CX, CX
	JZ hdone
	MOVQ (BX), R10
	ADDQ SI, R10
	MOVQ R9, R12
	VPXOR Y0, Y0, Y0

group:
	VPMOVZXBD (R10), Y1
	VPMULLD (R8), Y1, Y1
	VPADDD Y1, Y0, Y0
	ADDQ $8, R10
	ADDQ $32, R8
	DECQ R12
	JNZ group

	VEXTRACTI128 $1, Y0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0x4E, X0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0xB1, X0, X1
	VPADDD X1, X0, X0
	VMOVD X0, AX
	ADDL $0x200000, AX
	SARL $22, AX
	XORL DX, DX
	CMPL AX, $0
	CMOVLLT DX, AX
	CMPL AX, $255
	CMOVLGT R13, AX
	MOVB AX, (DI)
	INCQ DI
	ADDQ $8, BX
	DECQ CX
	JMP pixel

hdone:
	VZEROUPPER
	RET
