"""What the spring groups wrote: short, made-up words for each part of the module's case
(Leon starts dialysis at home), one set where the patient partners speak as Leon and one where
they speak as Grace. Fictional, like the case; nobody's own story."""

from __future__ import annotations

#: Part → (a student's words, the patient partner's words), partners speaking as Leon.
AS_LEON = {
    "situation": (
        "We are nursing and pharmacy students. Two of us had a placement on the home "
        "dialysis unit; one of us checks medicines for people on dialysis.",
        "I speak as Leon, 76, a retired bus driver who now does dialysis at home at night."),
    "patient_reality": (
        "Before dialysis Leon walked to the park most days and never missed Thursday cards.",
        "A good week now is one where I sleep and still make it to cards. The machine takes "
        "my nights, and the boxes take my hall."),
    "emotions": (
        "On the unit we felt proud of how fast Leon learned. We had not thought about how "
        "alone he would be at night.",
        "When the alarm would not stop I felt stupid and scared. Grace cried. I did not want "
        "to call again and be a nuisance."),
    "navigation": (
        "The training plan was clear. The card with the night number was clear. What happens "
        "when nobody answers was not written anywhere.",
        "Nobody told me the boxes would come at the same time every month, or that I could "
        "ask for smaller deliveries."),
    "condition": (
        "Kidney function falls with age and with high blood pressure and diabetes. Dialysis "
        "in the belly takes over cleaning the blood and removing fluid. Watch for infection "
        "at the tube and for weight going up fast.",
        "I weigh myself every morning now. It is the first thing I do."),
    "illness_experience": (
        "Studies of older people on home dialysis describe tiredness, broken sleep and a "
        "heavy load on the partner, but also more control over the day.",
        "Being at home means I can still play cards. That is worth the nights to me."),
    "microsystem": (
        "Using the 5 Ps: the night phone is part of the unit's processes but nobody owns it. "
        "Redesign: a named person on the night line each week, and a second number on the "
        "card. Measure: calls answered within ten minutes, counted each month.",
        "Ask the people who already do this at home what the first week should look like."),
    "professional_reality": (
        "Sam trains new patients and answers calls at the same time. She has no quiet hour "
        "and cannot see when deliveries are planned.",
        "I could see Sam was busy. She still sat down with me. That mattered."),
    "reflection": (
        "What matters most to Leon is keeping his own life, not only his blood results. Each "
        "of us will ask 'what do you want to keep doing?' on our next placement.",
        "Ask me what my nights are like, not only my numbers. And answer the phone."),
}

#: The same parts, with partners speaking as Grace, Leon's wife.
AS_GRACE = {
    "situation": (
        "We are medical, nursing and physiotherapy students. One of us visited patients at "
        "home with a dialysis nurse.",
        "I speak as Grace, Leon's wife. We live on the second floor with no lift."),
    "patient_reality": (
        "Grace has stiff hands and does most of the shopping and cooking. Their son lives two "
        "hours away.",
        "On a bad day I cannot open the fluid bags. On a good day we walk to the park "
        "together, slowly."),
    "emotions": (
        "We noticed we had written about Leon's feelings and forgot Grace's. We added them.",
        "I am tired all the time. I worry that if I get ill, nobody will look after him."),
    "navigation": (
        "Leon was trained, but Grace was only invited once. The leaflets use words like "
        "'exchange' and 'effluent' without saying what they mean.",
        "I had to learn a new language in two weeks. Nobody asked whether I could lift the "
        "boxes."),
    "condition": (
        "Kidney failure at 76 often comes with heart disease. Home dialysis needs steady "
        "routines; infection and fluid overload are the main risks to watch.",
        "I know his ankles swell when he drinks too much tea. I tell him, he does not "
        "always listen."),
    "illness_experience": (
        "Research on partners of people on home dialysis shows they often carry hidden work "
        "and lose sleep too. Contact with other families helps.",
        "Meeting another wife in the waiting room helped more than any leaflet."),
    "microsystem": (
        "The unit sees Leon as the patient and Grace as a visitor. Redesign: invite the "
        "partner to every training session and ask what they can and cannot do. Measure: "
        "share of partners who say they felt ready, asked at week four.",
        "Put the partner on the list of people the unit cares for."),
    "professional_reality": (
        "The nurses told us training takes longer than the plan allows, and the night line "
        "is covered by whoever is free.",
        "The nurses were kind. They were also clearly rushed."),
    "reflection": (
        "Care at home is care for the whole household. On placement we will ask who else is "
        "at home and what they are doing.",
        "See me as part of the team at home, not as the person who carries the boxes."),
}

#: What one group answered after reading its feedback.
RESPONSE = ("We will ask the person and the people at home what they want to keep doing "
            "before we write the plan. We have added Grace's view to part 9.")
REVISED_REFLECTION = ("Care at home is care for the whole household. Each of us will ask "
                      "'who else is at home, and what do you want to keep doing?' on our next "
                      "placement, and write the answer in the person's own words.")

#: Promises each group makes when it starts its case.
PROMISES = {"ourselves": "We take turns and keep to time.",
            "each_other": "We ask before we assume.",
            "person": "We write about Leon and Grace as we would talk to them."}

#: Per case, the educator's level on each theme of the case rubric (0 = lowest of four), in
#: the order context, person, knowledge, system, partnership, action. The patient lens stays
#: in the same half of its scale on every theme, except on the first case (see ``DIFFER``).
LEVELS = [(2, 3, 2, 2, 2, 2), (3, 3, 2, 3, 3, 3), (1, 2, 1, 1, 2, 1),
          (2, 2, 3, 2, 2, 2), (1, 1, 2, 1, 1, 2), (3, 2, 2, 3, 2, 3)]
THEMES = ("context", "person", "knowledge", "system", "partnership", "action")
#: On the first case the patient co-teacher sees the person theme the other way round.
DIFFER = {"person": 1}

EDUCATOR_SAYS = [
    ({"listening-to-the-person": "A clear picture of Leon's week and what he wants to keep.",
      "system-and-redesign": "Good redesign of the night line; say who would count the "
                             "measure."},
     "A careful case. Next time, let Leon's own words lead part 2."),
    ({"coproduction-stance": "You planned with Leon, not for him. Part 9 shows it.",
      "so-what-now-what": "Each promise is small and testable. Well done."},
     "A strong case from start to finish."),
    ({"knowledge-joined": "Join the facts in part 5 to what Leon said in part 2.",
      "system-and-redesign": "Name one barrier from part 4 and one change for it."},
     "You have the pieces; now link them."),
    ({"knowledge-joined": "The research in part 6 is well chosen and linked to Grace.",
      "situation-and-roles": "Say which placement each of you came from."},
     "Thoughtful work on the household as a whole."),
    ({"situation-and-roles": "Tell us who you are in this story, not only what happened.",
      "coproduction-stance": "Part 9 is written for Leon rather than with him."},
     "Start from what Leon and Grace want, and build the plan from there."),
    ({"system-and-redesign": "The redesign and its measure fit the 5 Ps sketch well.",
      "listening-to-the-person": "Grace's voice is there; let her speak in part 3 too."},
     "A clear, practical case."),
]

PATIENT_SAYS = [
    ({"whole-person": "I learned a lot about the machine, but little about Leon. Use his own "
                      "words for what the nights are like."},
     "Leon is more than his kidneys. Tell us about Thursdays."),
    ({"plans-made-with": "The plan came from Leon's own wishes. That is how it should be."},
     "Thank you for listening so well."),
    ({"hard-parts-honest": "You were honest about the phone that nobody answered."},
     "Keep going: ask Leon what would have helped that night."),
    ({"feelings-named": "Grace's tiredness is named and taken seriously."},
     "I felt Grace was seen. That is rare."),
    ({"respectful-words": "Some words in part 5 are hard to follow. Say 'fluid', not "
                          "'effluent'."},
     "Write as you would speak to Leon at his kitchen table."),
    ({"plan-would-help": "A named person on the night line would really help."},
     "This plan would make the first weeks at home less lonely."),
]
