import pytest

from briefing.analyze import phrases, quotes


@pytest.mark.parametrize(
    "phrase, lang, expected",
    [
        ("in a statement", "en", None),
        ("also", "en", None),
        ("at the field hospital outside the city, he", "en", "he"),
        ("Port Town. He", "en", "He"),
        ("The head of the agency, a former general", "en", "The head of the agency"),
        ("Nadia Farah, a nurse at the clinic", "en", "Nadia Farah, a nurse"),
        ("في خطاب متلفز", "ar", None),
        ("خلال مؤتمر صحفي", "ar", None),
        ("أصدرت المحكمة", "ar", None),
        ("مسؤول كبير في وزارة الصحة", "ar", "مسؤول كبير في وزارة الصحة"),
        ("the Red Lion statement", "en", "Red Lion"),
        ("In a post on X, Musk", "en", "Musk"),
        ("وزير الداخلية قائلا", "ar", "وزير الداخلية"),
        ("قائلا", "ar", None),
        ("Anna Berg last night", "en", "Anna Berg"),
        ("مصدر أمني رفيع لم تسمه", "ar", "مصدر أمني رفيع"),
        ("لاجئة في مخيم الشمال لرويترز", "ar", "لاجئة في مخيم الشمال"),
        ("الإذاعة عن مصدر في البلدية", "ar", "مصدر في البلدية"),
    ],
)
def test_a_speaker_is_a_noun_phrase_never_a_circumstance_or_a_clause(phrase, lang, expected):
    assert phrases.noun_phrase(phrase, lang) == expected


@pytest.mark.parametrize(
    "phrase, lang, expected",
    [
        ("he", "en", True),
        ("the president", "en", True),
        ("the statement", "en", True),
        ("the 41-year-old", "en", True),
        ("Lloyd Austin", "en", False),
        ("البيان", "ar", True),
        ("المكتب", "ar", True),
        ("الرئيس الفرنسي", "ar", True),
        ("تصريحاته", "ar", True),
        ("المعارضة السورية المسلحة", "ar", False),
        ("سامر الخطيب", "ar", False),
    ],
)
def test_pronouns_roles_and_bare_bodies_are_references(phrase, lang, expected):
    assert phrases.is_reference(phrase, lang) is expected


def _direct(text, lang):
    return [(q.speaker, q.text) for q in quotes.find(text, lang) if q.direct]


@pytest.mark.parametrize(
    "text, lang",
    [
        ('The minister called the plan "a bad idea" on Monday.', "en"),
        ('Witnesses heard the captain shout "abandon ship" twice.', "en"),
        ('ووصف الوزير الخطة بأنها "خطوة خاطئة".', "ar"),
        ("ونقلت وكالة «سبوتنيك» الخبر عن مصادر رسمية.", "ar"),
    ],
)
def test_quoted_text_under_four_words_is_not_a_quote(text, lang):
    assert _direct(text, lang) == []


@pytest.mark.parametrize(
    "text, lang, speaker",
    [
        (
            'Foreign Minister Jane Doe met her counterpart on Monday. "We have agreed on the next steps together," she said.',
            "en",
            "Jane Doe",
        ),
        (
            'President John Carter condemned the attack. "We will not be intimidated by this," the president added.',
            "en",
            "John Carter",
        ),
        (
            'Mayor Ana Ruiz visited the flooded district, saying, "The city will rebuild every home that was lost."',
            "en",
            "Ana Ruiz",
        ),
        (
            'Lena Park, a teacher at the school, said in a statement that "nobody could have seen this coming."',
            "en",
            "Lena Park",
        ),
        (
            '"Every family here has lost someone," bellowed the delegate Omar Said.',
            "en",
            "Omar Said",
        ),
        (
            'Prime Minister Tom Hale spoke in Brussels.\nPortugal said talks would stop. "Nobody here will sign such demands," he said.',
            "en",
            "Tom Hale",
        ),
        (
            'وأكد سامر الخطيب أن القرار نهائي، إذ قال في كلمة متلفزة: "لن نتراجع عن هذا القرار أبدا".',
            "ar",
            "سامر الخطيب",
        ),
        (
            'وأصدر مكتب رئيس الوزراء الكندي بيانا مساء الأحد.\nوقال المكتب: "نرفض هذه الاتهامات جملة وتفصيلا".',
            "ar",
            "مكتب رئيس الوزراء الكندي",
        ),
        (
            'وزيرة الصحة ليلى حداد:\n"سنفتح ثلاثة مستشفيات ميدانية هذا الأسبوع في المدينة".',
            "ar",
            "ليلى حداد",
        ),
        (
            'وعبّر الوزير سمير نجار عن حزنه، قائلًا: "هذا يوم حزين لكل العائلات".',
            "ar",
            "سمير نجار",
        ),
        (
            'وقال رئيس البلدية، كريم منصور، للصحفيين: "المياه ستعود خلال يومين على الأكثر".',
            "ar",
            "كريم منصور",
        ),
        (
            'سارة العلي وصفت القرار بأنه "خطوة إلى الوراء بكل المقاييس".',
            "ar",
            "سارة العلي",
        ),
        (
            'وذكرت الإذاعة نقلا عن مصدر عسكري رفيع: "دمرنا جميع الأهداف المحددة الليلة الماضية".',
            "ar",
            "مصدر عسكري رفيع",
        ),
        (
            'ووصلت الرئيسة البرازيلية ماريا سيلفا إلى العاصمة.\nوقالت الرئيسة البرازيلية: "نحن هنا لنقف مع شعبنا في هذه الأيام".',
            "ar",
            "ماريا سيلفا",
        ),
        (
            'أعلنت المحكمة العليا في البلاد قرارها.\nوقالت المحكمة في بيان لها إنها "أبطلت نتائج التصويت في الدائرة كلها".',
            "ar",
            "المحكمة العليا",
        ),
        (
            'واجتمع قادة لحزب العمل الوطني أمس. ودعا الحزب الوطني المواطنين إلى الهدوء.\nوحث الحزب الحكومة على "فتح تحقيق مستقل في ما جرى فورا".',
            "ar",
            "حزب العمل الوطني",
        ),
        (
            '"الوضع صعب جدا في كل الأحياء"، هكذا وصف مدير الدفاع المدني سمير عواد الأوضاع.',
            "ar",
            "سمير عواد",
        ),
        (
            'وأصدرت القوات البحرية بيانا صباح اليوم.\nوأوضح البيان أن "السفن أنهت مهمتها في المياه الدولية".',
            "ar",
            "القوات البحرية",
        ),
        (
            'وكتب رامي سليم على منصة إكس: "هذا يوم أسود في تاريخ الرياضة العربية".',
            "ar",
            "رامي سليم",
        ),
        (
            'قال رئيس الوزراء الماليزي أحمد زاهد حميدي إن المحادثات مستمرة.\nوتابع قائلا: "لن نقبل أي تدخل في شؤوننا الداخلية".',
            "ar",
            "أحمد زاهد حميدي",
        ),
        (
            'أعلنت وزارة النقل الأردنية إغلاق الطريق.\nوأشارت الوزارة إلى أن "الأعمال ستنتهي خلال أسبوعين على الأقل".',
            "ar",
            "وزارة النقل الأردنية",
        ),
        (
            'ونقلت الصحيفة عن مصدر في وزارة الداخلية "الاستقلالية" قوله: "تم توقيف المشتبه بهم جميعا".',
            "ar",
            "مصدر في وزارة الداخلية",
        ),
        (
            'The plan was denounced by teachers\' unions as a "betrayal of every child in the country".',
            "en",
            "teachers' unions",
        ),
        (
            'Crowds filled the square, sang and waved flags, as a young organiser shouted from the stage, "We did this together!"',
            "en",
            "a young organiser",
        ),
        (
            'Mayor Ana Ruiz toured the port on Monday.\nAlthough the storm had passed by morning, she said, "The real damage is only now becoming clear."',
            "en",
            "Ana Ruiz",
        ),
        (
            'Omar Said, the new head of the national tourism board under the incoming government, praised the plan and promised "a season unlike any the island has seen."',
            "en",
            "Omar Said",
        ),
        (
            'بدوره، اعتبر القيادي في الحزب سامي داود، أن القرار خاطئ من أساسه.\nوأشار إلى أن "الحكومة تتجاهل مطالب الناس منذ سنوات".',
            "ar",
            "سامي داود",
        ),
        (
            'وقال مصدر حكومي لـ"الصباح" إن "المفاوضات ستستأنف الأسبوع المقبل في الدوحة".',
            "ar",
            "مصدر حكومي",
        ),
        (
            'وصرح مدير مستشفى النور، الدكتور سالم حداد، بأن "المستشفى يعمل بنصف طاقته فقط".',
            "ar",
            "سالم حداد",
        ),
        (
            'وتقول الباحثة في الشؤون الاقتصادية هدى عبد الرحمن إن "الأسعار سترتفع مع بداية العام".',
            "ar",
            "هدى عبد الرحمن",
        ),
        (
            'من ناحيته، أعرب رئيس الاتحاد الرياضي كمال أبو زيد عن "أسفه الشديد لما حدث في المباراة".',
            "ar",
            "كمال أبو زيد",
        ),
        (
            '"Nobody expected the water to rise so fast," U.N. envoy Karin Holm told reporters.',
            "en",
            "Karin Holm",
        ),
        (
            '"We have lost everything we had," said one fisherman, Jonas Berg, standing by his boat.',
            "en",
            "Jonas Berg",
        ),
        (
            'وختمت اللجنة الدولية بيانها بالقول: "ندعو جميع الأطراف إلى احترام الهدنة".',
            "ar",
            "اللجنة الدولية",
        ),
        (
            'وقال أحد الصيادين ويدعى سليم لـ"الإذاعة": "البحر لم يعد آمنا لنا ولا لأولادنا".',
            "ar",
            "سليم",
        ),
        (
            'The Red Lions said they had fired at the convoy. "We will go on until the end," the group said.',
            "en",
            "The Red Lions",
        ),
        (
            'The Red Lions said they had fired at the convoy.\nThe Chilean military said: "We struck several targets overnight across the area."',
            "en",
            "The Chilean military",
        ),
        (
            'وقال كريم ناصر، وهو من سكان المدينة، لوكالة الأنباء، إنه رأى دمارا كبيرا في الحي.\nوأضاف أن المباني انهارت.\nوقال: "كان هناك أشخاص تحت الأنقاض طوال الليل".',
            "ar",
            "كريم ناصر",
        ),
        (
            'وقال شاهد عيان يدعى مازن لرويترز: "سمعنا دوي انفجارات متتالية طوال الليل".',
            "ar",
            "مازن",
        ),
        (
            'According to a statement from the Transport Ministry, "all border crossings will remain closed until Friday."',
            "en",
            "the Transport Ministry",
        ),
        (
            'Acting President Seo Jin-ho said: "The government will work normally from today."\n"We ask every citizen to stay calm," Seo said.',
            "en",
            "Seo Jin-ho",
        ),
        (
            'Chancellor Eva Lind arrived on Sunday. "This is a day of mourning for the whole country," Mrs Lind said.',
            "en",
            "Eva Lind",
        ),
        (
            'وبعد عقوبات فرضت على حزب الله، رحب الأخير بقرار منظمة الصحة العالمية إرسال الأدوية.\nودعا في بيان، اليوم، "جميع الأطراف إلى فتح الطرق أمام القوافل فورا".',
            "ar",
            "حزب الله",
        ),
        (
            'بعد محادثات مع الناتو في الأيام الأخيرة، أصدرت منظمة الصحة العالمية تحذيرا.\nودعت في بيان "جميع الدول إلى تعزيز الرقابة الصحية على الحدود".',
            "ar",
            "منظمة الصحة العالمية",
        ),
        (
            'After the Red Cross appealed for aid, the latter thanked the World Bank for its pledge. It said in a statement: "The first convoys will leave on Monday morning."',
            "en",
            "Red Cross",
        ),
        (
            'بعد محادثات مع الناتو للمرة الأخيرة، أصدرت منظمة الصحة العالمية تحذيرا.\nودعت في بيان "جميع الدول إلى تعزيز الرقابة الصحية على الحدود".',
            "ar",
            "منظمة الصحة العالمية",
        ),
        (
            'وبعد عقوبات فرضت على حزب الله، رد الأخير بغضب.\nوفي تطور منفصل، حذرت منظمة الصحة العالمية من نقص الأدوية.\nودعت في بيان "جميع المانحين إلى الوفاء بتعهداتهم قبل نهاية الشهر".',
            "ar",
            "منظمة الصحة العالمية",
        ),
        (
            'After the Red Cross appealed for aid, in the latter stages of the talks the World Bank pledged funds. It said in a statement: "The first payments will arrive within a month."',
            "en",
            "World Bank",
        ),
    ],
)
def test_a_reference_takes_the_nearest_compatible_named_speaker(text, lang, speaker):
    found = _direct(text, lang)
    assert found and found[-1][0] == speaker, found


def test_a_quote_split_by_its_attribution_is_two_quotes_with_one_speaker():
    text = '"The roads are closed," said Maya Stone, "and the bridges are down too."'
    assert [s for s, _ in _direct(text, "en")] == ["Maya Stone", "Maya Stone"]


def test_a_second_quote_in_the_sentence_takes_the_speaker_of_the_first():
    text = 'وقالت المحكمة العليا إن الطعن "غير مقبول"، بسبب "عدم وجود أدلة كافية على التزوير".'
    assert _direct(text, "ar") == [("المحكمة العليا", "عدم وجود أدلة كافية على التزوير")]


def test_an_unresolvable_pronoun_is_no_speaker():
    assert _direct('She said: "We will keep working until the very end."', "en") == [
        (None, "We will keep working until the very end.")
    ]


@pytest.mark.parametrize(
    "text, quoted",
    [
        (
            "وقال الوزير إن الجيش أمر بـ”السيطرة على المنطقة العازلة بالكامل”.",
            "السيطرة على المنطقة العازلة بالكامل",
        ),
        (
            'وقال الوزير: "أمرت بإقامة "منطقة آمنة" على طول الحدود الشمالية".',
            'أمرت بإقامة "منطقة آمنة" على طول الحدود الشمالية',
        ),
    ],
)
def test_quote_marks_pair_across_an_opening_closer_and_an_inner_term(text, quoted):
    assert [q for _, q in _direct(text, "ar")] == [quoted]


def test_every_attributed_quote_stays_verbatim_at_its_offsets():
    text = (
        "وزيرة الصحة ليلى حداد:\n"
        '"سنفتح ثلاثة مستشفيات ميدانية هذا الأسبوع في المدينة".\n'
        'وعبّر الوزير سمير نجار عن حزنه، قائلًا: "هذا يوم حزين لكل العائلات".'
    )
    for quote in quotes.find(text, "ar"):
        assert text[quote.start : quote.end] == quote.text
