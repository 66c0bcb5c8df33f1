# Sourced by the benchmark scripts: `model_args SCRIPT MODEL` turns a model argument, mlp or dcgan:D
# (the convolutional model with base channel count D), into the arrays our_model (options of this
# project's train and bench) and reference_model (options of wgan_gp_reference.py). Anything else
# stops the script with exit code 2 and one line naming it.
model_args() {
    local script="$1" model="$2"
    our_model=()
    reference_model=()
    if [[ "$model" =~ ^dcgan:([1-9][0-9]*)$ ]]; then
        our_model=(--set model=dcgan --set "dcgan.dim=${BASH_REMATCH[1]}")
        reference_model=(--arch dcgan --dim "${BASH_REMATCH[1]}")
    elif [[ "$model" != mlp ]]; then
        echo "$script: model must be mlp or dcgan:D, got '$model'" >&2
        exit 2
    fi
}
