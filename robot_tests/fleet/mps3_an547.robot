*** Settings ***
Documentation     Every model on mps3-an547: outputs vs TFLite, flash and RAM budgets.
Resource          ../resources/tfm.resource
Suite Setup       Board Should Have A Simulator
Test Template     Model Should Run On Board
Test Tags         board:mps3-an547


*** Variables ***
${BOARD}          mps3-an547


*** Test Cases ***
sine
    [Tags]    model:sine    demo
    sine

sine_float
    [Tags]    model:sine_float    demo
    sine_float

kws
    [Tags]    model:kws    demo
    kws

tiny_conv
    [Tags]    model:tiny_conv    demo
    tiny_conv

hello_world_int8
    [Tags]    model:hello_world_int8    shared
    hello_world_int8

hello_world_float
    [Tags]    model:hello_world_float    shared
    hello_world_float

micro_speech_quantized
    [Tags]    model:micro_speech_quantized    shared
    micro_speech_quantized

person_detect
    [Tags]    model:person_detect    shared
    person_detect
