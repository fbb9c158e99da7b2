*** Settings ***
Documentation     The built-in arm-dsp kernel set (SIMD int8 kernels for Cortex-M cores with
...               the DSP extension): every model on every DSP board, bit-exact with TFLite
...               and within budgets, cheaper than the reference kernels; refused on a core
...               without DSP.
Resource          resources/tfm.resource
Test Template     Model Should Run On Board
Test Tags         kernels:arm-dsp


*** Test Cases ***                 MODEL                     BOARD          KERNELS
Demo kws on Cortex-M4F             kws                       mps2-an386     arm-dsp
Demo tiny_conv on Cortex-M7        tiny_conv                 mps2-an500     arm-dsp
Demo sine on Cortex-M55            sine                      mps3-an547     arm-dsp
hello_world_int8 on Cortex-M4F     hello_world_int8          mps2-an386     arm-dsp
    [Tags]    shared
micro_speech on Cortex-M7          micro_speech_quantized    mps2-an500     arm-dsp
    [Tags]    shared
person_detect on Cortex-M4F        person_detect             mps2-an386     arm-dsp
    [Tags]    shared
person_detect on Cortex-M55        person_detect             mps3-an547     arm-dsp
    [Tags]    shared
person_detect on netduinoplus2     person_detect             netduinoplus2  arm-dsp
    [Tags]    shared

arm-dsp Costs Fewer Instructions Than The Reference On kws
    [Template]    NONE
    ${ref}=    Model Should Run On Board    kws    mps2-an386    reference
    ${dsp}=    Model Should Run On Board    kws    mps2-an386    arm-dsp
    ${n_ref}=    Instructions Per Invocation    ${ref}
    ${n_dsp}=    Instructions Per Invocation    ${dsp}
    Should Be True    ${n_dsp} * 2 < ${n_ref}    arm-dsp ${n_dsp} vs reference ${n_ref}

arm-dsp Is Refused On Cortex-M3
    [Template]    NONE
    ${path}=    Model Path    kws
    ${job}=    Run Model On Board    ${path}    mps2-an385    kernels=arm-dsp
    Job Should Fail With    ERROR    arm-dsp.*cortex-m3    ${job}
